// Tickets sold per minute over the last 30 minutes: bars drawn in SVG, labels in HTML (so they stay legible
// however narrow the chart gets), and the numbers again as a table for screen readers.
import { useId } from "react";
import { layoutBars, niceCeiling } from "./live-model";
import styles from "./live.module.css";
import { TableHead } from "../../../../_components/table-head";

type Minute = { minute: Date; tickets: number; orders: number };

const W = 600;
const H = 160;
const clock = new Intl.DateTimeFormat("en-US", { hour: "numeric", minute: "2-digit" });
const count = new Intl.NumberFormat("en-US");

export function SalesChart({ minutes }: { minutes: Minute[] }) {
  const id = useId();
  const values = minutes.map((m) => m.tickets);
  const max = niceCeiling(Math.max(0, ...values));
  const bars = layoutBars(values, { width: W, height: H, max, gap: 0.25 });
  const total = values.reduce((sum, n) => sum + n, 0);
  const peak = minutes.reduce<Minute | null>((best, m) => (m.tickets > (best?.tickets ?? 0) ? m : best), null);
  const summary =
    total === 0
      ? "No tickets sold in the last 30 minutes."
      : `${count.format(total)} ticket${total === 1 ? "" : "s"} sold in the last 30 minutes; the busiest minute, ${clock.format(peak!.minute)}, sold ${count.format(peak!.tickets)}.`;
  const first = minutes[0];
  const middle = minutes[Math.floor(minutes.length / 2)];

  return (
    <figure className={styles.salesChart}>
      <div className={styles.salesChartPlot}>
        <div className={styles.salesChartY} aria-hidden="true">
          <span>{count.format(max)}</span>
          <span>0</span>
        </div>
        <svg
          className={styles.salesChartSvg}
          viewBox={`0 0 ${W} ${H}`}
          preserveAspectRatio="none"
          role="img"
          aria-labelledby={`${id}-title ${id}-desc`}
        >
          <title id={`${id}-title`}>Tickets sold per minute, last 30 minutes</title>
          <desc id={`${id}-desc`}>{summary}</desc>
          <line className={styles.salesChartGrid} x1={0} x2={W} y1={0.5} y2={0.5} vectorEffect="non-scaling-stroke" />
          <line className={styles.salesChartGrid} x1={0} x2={W} y1={H / 2} y2={H / 2} vectorEffect="non-scaling-stroke" />
          <line className={styles.salesChartAxis} x1={0} x2={W} y1={H - 0.5} y2={H - 0.5} vectorEffect="non-scaling-stroke" />
          {bars.map((bar, i) => {
            const m = minutes[i]!;
            return (
              <rect
                key={m.minute.getTime()}
                className={i === bars.length - 1 ? `${styles.salesChartBar} ${styles.salesChartBarNow}` : styles.salesChartBar}
                x={bar.x}
                y={bar.y}
                width={bar.width}
                height={bar.height}
              >
                <title>{`${clock.format(m.minute)}: ${count.format(m.tickets)} tickets, ${count.format(m.orders)} orders`}</title>
              </rect>
            );
          })}
        </svg>
        <div className={styles.salesChartX} aria-hidden="true">
          <span>{first ? clock.format(first.minute) : ""}</span>
          <span>{middle ? clock.format(middle.minute) : ""}</span>
          <span>Now</span>
        </div>
      </div>
      <figcaption className={`${styles.salesChartCaption} muted`}>{summary}</figcaption>
      <table className="visually-hidden">
        <caption>Tickets and orders per minute, last 30 minutes, oldest first</caption>
        <TableHead columns={["Minute", "Tickets", "Orders"]} />
        <tbody>
          {minutes.map((m) => (
            <tr key={m.minute.getTime()}>
              <th scope="row">{clock.format(m.minute)}</th>
              <td>{m.tickets}</td>
              <td>{m.orders}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </figure>
  );
}
