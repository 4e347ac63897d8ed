// Whether this tab's turn to buy still stands: the gate's answer to the stored access token, and the time
// the turn ends. Once it is over the token is worthless, so it is dropped (the showtime page says why).
import { skipToken, useQuery } from "@tanstack/react-query";
import { useEffect } from "react";
import { appErrorOf } from "../../_components/app-error";
import { endAccess } from "../../_lib/access-token";
import { useTRPC } from "../../_trpc/client";

/** `settled`: the checkout already ended (paid or expired), so an ended turn changes nothing. */
export function useCheckoutAccess(showtimeId: string, token: string | null, now: number, settled: boolean) {
  const trpc = useTRPC();
  const selection = useQuery(
    trpc.showtimes.selection.queryOptions(token ? { showtimeId, accessToken: token } : skipToken, { retry: false }),
  );
  const accessExpiresAt = selection.data?.accessExpiresAt ?? null;
  const refused = selection.isError && appErrorOf(selection.error).code === "NOT_ADMITTED";
  const accessOver = refused || (accessExpiresAt !== null && now !== 0 && now >= accessExpiresAt.getTime());

  useEffect(() => {
    if (accessOver && !settled) endAccess(showtimeId);
  }, [accessOver, settled, showtimeId]);

  return { checking: token !== null && selection.isPending && !accessOver, accessExpiresAt, accessOver };
}
