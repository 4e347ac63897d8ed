"use client";
// Whether this tab's fan is admitted to choose seats: the stored access token and the gate's answer to it.
// The access banner and the seat map both ask; they share one query.
import { skipToken, useQuery } from "@tanstack/react-query";
import type { inferRouterOutputs } from "@trpc/server";
import type { AppRouter } from "@/server/api/root";
import { useAccessToken } from "../../_lib/access-token";
import { useTRPC } from "../../_trpc/client";

type Outputs = inferRouterOutputs<AppRouter>;
export type Admission = Outputs["showtimes"]["selection"];
export type MyHold = Outputs["holds"]["mine"]["items"][number];
export type HoldResult = Outputs["holds"]["create"];

export function useAdmission(showtimeId: string) {
  const trpc = useTRPC();
  const token = useAccessToken(showtimeId);
  const selection = useQuery(
    trpc.showtimes.selection.queryOptions(token ? { showtimeId, accessToken: token } : skipToken, {
      retry: false,
      staleTime: 30_000,
    }),
  );
  /** The gate's answer while the token is still stored; null when not (or not yet) admitted. */
  const admitted: Admission | null = token && selection.data ? selection.data : null;
  return { token, selection, admitted };
}
