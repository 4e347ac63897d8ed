"use client";
// Paying for a hold from the wallet, behind the waiting-room gate (the tab's access token). The countdown
// warns a minute before the hold ends and offers its one extension; a wallet that is short gets topped up
// right here. This component decides which card shows; the work is in the hooks beside it.
import { useQuery } from "@tanstack/react-query";
import { useState } from "react";
import type { MyHold } from "@/server/domain/holds/my-holds";
import { formatMoney } from "@/server/domain/money";
import type { Currency } from "@/server/generated/prisma/enums";
import { useHydrated } from "../../_components/use-hydrated";
import { useNow } from "../../_components/use-now";
import { useAccessToken } from "../../_lib/access-token";
import { shortfallMinor } from "../../_lib/amount";
import { holdPhase } from "../../_lib/hold-clock";
import { useTRPC } from "../../_trpc/client";
import { Ended, Paid, TurnEnded } from "./checkout-outcomes";
import { CheckoutSummary } from "./checkout-summary";
import { formatClock } from "./clock";
import { HoldTimer } from "./hold-timer";
import { PayPanel } from "./pay-panel";
import { useCheckoutAccess } from "./use-checkout-access";
import { useHoldExtension } from "./use-hold-extension";
import { usePayment } from "./use-payment";
import styles from "./checkout.module.css";

type Props = { hold: MyHold; topUpLimits: Record<Currency, number> };

export function Checkout({ hold, topUpLimits }: Props) {
  const trpc = useTRPC();
  const hydrated = useHydrated();
  const now = useNow();
  const showtimeId = hold.showtime.id;
  const token = useAccessToken(showtimeId);
  // A note ("Done: …", "Added …") belongs to the hold it was about: shown only while the hold is open.
  const [note, setNote] = useState("");
  const balances = useQuery(trpc.wallet.balances.queryOptions());
  const payment = usePayment(hold, token, { onStart: () => setNote(""), refetchBalances: () => balances.refetch() });
  const extension = useHoldExtension(hold, token, {
    onStart: () => payment.setPayError(null),
    onExtended: (until) => setNote(`Done: your seats are now held until ${formatClock(until)}.`),
    onEnded: (message) => payment.setOutcome({ kind: "expired", message }),
    onError: payment.setPayError,
  });
  const { outcome } = payment;
  const access = useCheckoutAccess(showtimeId, token, now, outcome !== null);

  const msLeft = now === 0 ? null : extension.heldUntil.getTime() - now;
  const phase = msLeft === null ? "running" : holdPhase(msLeft);
  const balance = balances.data?.find((b) => b.currency === hold.currency)?.balanceMinor;
  const short = balance === undefined ? 0 : shortfallMinor(balance, hold.totalMinor);

  let side;
  let open = false;
  if (outcome?.kind === "paid") {
    side = <Paid orderId={outcome.orderId} />;
  } else if (outcome?.kind === "expired" || phase === "ended") {
    side = <Ended showtimeId={showtimeId} message={outcome?.kind === "expired" ? outcome.message : undefined} />;
  } else if (!hydrated || access.checking) {
    side = (
      <div className={`card ${styles.checkoutCard}`} aria-busy="true">
        <p>Checking your access…</p>
      </div>
    );
  } else if (token === null || access.accessOver) {
    side = <TurnEnded showtimeId={showtimeId} heldUntil={extension.heldUntil} />;
  } else {
    open = true;
    side = (
      <>
        <HoldTimer
          msLeft={msLeft}
          warning={phase === "warning"}
          heldUntil={extension.heldUntil}
          accessExpiresAt={access.accessExpiresAt}
          extendSeconds={hold.extendSeconds}
          canExtend={extension.canExtend}
          extending={extension.pending}
          onExtend={extension.addTime}
        />
        <PayPanel
          hold={hold}
          balance={{ status: balances.status, minor: balance }}
          short={short}
          topUpLimits={topUpLimits}
          payError={payment.payError}
          paying={payment.pending}
          onPay={() => void payment.pay()}
          onToppedUp={(r) => {
            payment.setPayError(null);
            setNote(`Added ${formatMoney(r.amountMinor, r.currency)} to your wallet.`);
          }}
        />
      </>
    );
  }

  return (
    <div className={styles.checkoutLayout}>
      <CheckoutSummary hold={hold} />
      <div className={styles.checkoutSide}>
        {side}
        <p className="visually-hidden" role="status">
          {open ? note : ""}
        </p>
        {note && open ? (
          <p className={styles.checkoutNote} aria-hidden="true">
            {note}
          </p>
        ) : null}
      </div>
    </div>
  );
}
