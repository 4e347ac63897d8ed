// What is being bought: each seat with its price and fee, then the subtotal, the fees and the total.
import type { MyHold } from "@/server/domain/holds/my-holds";
import { formatMoney } from "@/server/domain/money";
import { seatName } from "../../_lib/seat-name";
import styles from "./checkout.module.css";
import { TableHead } from "../../_components/table-head";

export function CheckoutSummary({ hold }: { hold: MyHold }) {
  return (
    <section className={`card ${styles.checkoutSummary}`} aria-labelledby="summary-title">
      <h2 id="summary-title">Your {hold.seats.length === 1 ? "seat" : `${hold.seats.length} seats`}</h2>
      <table className={styles.checkoutSeats}>
        <caption className="visually-hidden">Seats and prices</caption>
        <TableHead columns={["Seat", "Price", "Fee"]} numeric={["Price", "Fee"]} />
        <tbody>
          {hold.seats.map((s) => (
            <tr key={s.id}>
              <th scope="row">
                {seatName(s)}
                {s.tier !== s.section ? <span className={`${styles.checkoutTier} muted`}>{s.tier}</span> : null}
              </th>
              <td className="num">{formatMoney(s.priceMinor, s.currency)}</td>
              <td className="num">{formatMoney(s.feeMinor, s.currency)}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <dl className="money-lines">
        <div>
          <dt>Subtotal</dt>
          <dd>{formatMoney(hold.subtotalMinor, hold.currency)}</dd>
        </div>
        <div>
          <dt>Booking fees</dt>
          <dd>{formatMoney(hold.feesMinor, hold.currency)}</dd>
        </div>
        <div className="money-total">
          <dt>Total</dt>
          <dd>{formatMoney(hold.totalMinor, hold.currency)}</dd>
        </div>
      </dl>
    </section>
  );
}
