"use client";
// Adding a card: the processor's card form turns what the fan typed into a token, and Onsale saves the card
// behind that token. A token sent again after no answer keeps its idempotency key, so it is saved once.
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { appErrorOf } from "../../_components/app-error";
import { SandboxCardForm } from "../../_components/sandbox-card-form";
import { useTRPC } from "../../_trpc/client";
import { cardName } from "./saved-cards";
import styles from "./cards.module.css";

type Attempt = { token: string; idempotencyKey: string };

export function AddCard() {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  // Pending until the list has been read again, so the new card is there when the button comes back.
  const add = useMutation(
    trpc.paymentMethods.add.mutationOptions({ onSuccess: () => queryClient.invalidateQueries(trpc.paymentMethods.list.queryFilter()) }),
  );
  const [error, setError] = useState<string>();
  const [done, setDone] = useState("");
  // The last attempt that got no answer at all: the same card sent again reuses its key.
  const [unanswered, setUnanswered] = useState<Attempt | null>(null);

  async function save(token: string): Promise<boolean> {
    const attempt: Attempt = {
      token,
      idempotencyKey: unanswered?.token === token ? unanswered.idempotencyKey : crypto.randomUUID(),
    };
    setError(undefined);
    setDone("");
    try {
      const card = await add.mutateAsync(attempt);
      setUnanswered(null);
      setDone(`Saved your ${cardName(card)}.${card.isDefault ? " It is your default card." : ""}`);
      return true;
    } catch (err) {
      const e = appErrorOf(err);
      setUnanswered(e.code === "NETWORK" ? attempt : null);
      setError(
        e.code === "NETWORK"
          ? "We couldn’t reach Onsale, so we don’t know whether the card was saved. Trying again is safe: it is saved only once."
          : e.message,
      );
      return false;
    }
  }

  return (
    <>
      <SandboxCardForm
        id="add-card"
        submitLabel="Save card"
        pendingLabel="Saving card…"
        pending={add.isPending}
        error={error}
        onToken={save}
      />
      <p role="status" className={done ? `alert alert-success ${styles.addCardDone}` : "visually-hidden"}>
        {done}
      </p>
    </>
  );
}
