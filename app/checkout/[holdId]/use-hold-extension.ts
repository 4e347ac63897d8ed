// The hold's end, and its one extension: asked for once, and not offered again once used or refused.
import { useMutation } from "@tanstack/react-query";
import { useState } from "react";
import type { MyHold } from "@/server/domain/holds/my-holds";
import { appErrorOf } from "../../_components/app-error";
import { endAccessAfter } from "../../_lib/access-token";
import { useTRPC } from "../../_trpc/client";

type Options = {
  onStart: () => void;
  onExtended: (heldUntil: Date) => void;
  /** The hold is gone (ran out, or released elsewhere) by the time the extension was asked for. */
  onEnded: (message: string) => void;
  onError: (message: string) => void;
};

export function useHoldExtension(hold: MyHold, token: string | null, { onStart, onExtended, onEnded, onError }: Options) {
  const trpc = useTRPC();
  const [heldUntil, setHeldUntil] = useState(hold.heldUntil);
  const [extended, setExtended] = useState(!hold.canExtend);
  const extend = useMutation(trpc.holds.extend.mutationOptions());
  const showtimeId = hold.showtime.id;

  function addTime() {
    if (!token) return;
    onStart();
    extend.mutate(
      { showtimeId, accessToken: token, holdId: hold.id },
      {
        onSuccess: (r) => {
          setHeldUntil(r.heldUntil);
          setExtended(true);
          onExtended(r.heldUntil);
        },
        onError: (err) => {
          const e = appErrorOf(err);
          if (e.code === "NOT_ADMITTED") endAccessAfter(showtimeId, e);
          else if (e.code === "HOLD_EXPIRED" || e.code === "NOT_FOUND") onEnded(e.message);
          else {
            if (e.code === "CONFLICT") setExtended(true);
            onError(e.message);
          }
        },
      },
    );
  }

  return { heldUntil, canExtend: !extended, addTime, pending: extend.isPending };
}
