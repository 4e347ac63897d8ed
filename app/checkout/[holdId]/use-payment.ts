// Paying for the hold from the wallet, and how the checkout ended. One idempotency key per hold
// (checkout-key.ts), so a retry never charges twice; a hold paid already (from another tab, say) is
// answered with a conflict naming its order, and the fan is taken there.
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useRouter } from "next/navigation";
import { useRef, useState } from "react";
import type { MyHold } from "@/server/domain/holds/my-holds";
import { formatMoney } from "@/server/domain/money";
import { appErrorOf, type ClientAppError } from "../../_components/app-error";
import { endAccessAfter, forgetAccess } from "../../_lib/access-token";
import { useTRPC } from "../../_trpc/client";
import { checkoutKey, forgetCheckoutKey } from "./checkout-key";

/** How this checkout ended, when it has. */
export type Outcome = { kind: "paid"; orderId: string | null } | { kind: "expired"; message?: string } | null;

type Options = {
  /** A payment is starting: notes about the last step are out of date. */
  onStart: () => void;
  /** The wallet was short: read the balance again, so the top-up asks for the right amount. */
  refetchBalances: () => Promise<unknown>;
};

export function usePayment(hold: MyHold, token: string | null, { onStart, refetchBalances }: Options) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const router = useRouter();
  const showtimeId = hold.showtime.id;
  const [outcome, setOutcome] = useState<Outcome>(() => {
    if (hold.status === "CONVERTED") return { kind: "paid", orderId: null };
    if (hold.status === "RELEASED") return { kind: "expired", message: "You let these seats go, so they went back on sale." };
    return hold.live ? null : { kind: "expired" };
  });
  const [payError, setPayError] = useState<string | null>(null);
  const paying = useRef(false);
  const checkout = useMutation(trpc.orders.checkout.mutationOptions());

  function finish(orderId: string) {
    setOutcome({ kind: "paid", orderId });
    forgetCheckoutKey(hold.id);
    // The server ended this turn with the purchase: forget the token quietly, it is not "time ran out".
    forgetAccess(showtimeId);
    void queryClient.invalidateQueries(trpc.wallet.pathFilter());
    void queryClient.invalidateQueries(trpc.holds.pathFilter());
    void queryClient.invalidateQueries(trpc.orders.pathFilter());
    router.replace(`/orders/${orderId}?new=1`);
  }

  async function onPayError(e: ClientAppError) {
    switch (e.code) {
      case "INSUFFICIENT_FUNDS": {
        const shortBy = Number(e.details?.shortMinor);
        setPayError(
          Number.isFinite(shortBy) && shortBy > 0
            ? `Your wallet is ${formatMoney(shortBy, hold.currency)} short. Add money below, then pay.`
            : "Your wallet doesn’t have enough money for these seats. Add money below, then pay.",
        );
        await refetchBalances();
        return;
      }
      case "HOLD_EXPIRED":
      case "NOT_FOUND":
        setOutcome({ kind: "expired", message: e.message });
        return;
      case "CONFLICT": {
        // Paid already (from another tab, say): the answer names the order.
        const orderId = e.details?.orderId;
        if (typeof orderId === "string" && e.details?.status === "PAID") return finish(orderId);
        setPayError(e.message);
        return;
      }
      case "NOT_ADMITTED":
        endAccessAfter(showtimeId, e);
        return;
      case "NETWORK":
        setPayError(
          "We couldn’t reach Onsale, so we don’t know whether the payment went through. Paying again is safe: you’ll be charged only once.",
        );
        return;
      default:
        setPayError(e.message);
    }
  }

  async function pay() {
    if (paying.current || !token) return;
    paying.current = true;
    setPayError(null);
    onStart();
    try {
      const paid = await checkout.mutateAsync({ showtimeId, accessToken: token, holdId: hold.id, idempotencyKey: checkoutKey(hold.id) });
      finish(paid.orderId);
    } catch (err) {
      await onPayError(appErrorOf(err));
    } finally {
      paying.current = false;
    }
  }

  return { outcome, setOutcome, payError, setPayError, pay, pending: checkout.isPending };
}
