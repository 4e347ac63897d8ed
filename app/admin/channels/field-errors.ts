// Field messages from a failed mutation, for forms: VALIDATION_FAILED and CONFLICT answers carry them in
// `details.fieldErrors` (server/api/trpc.ts).
import type { ClientAppError } from "@/app/_components/app-error";

/** The first message per field. */
export function fieldErrorsOf(error: ClientAppError | null): Record<string, string> {
  const raw = error?.details?.fieldErrors as Record<string, string[] | undefined> | undefined;
  return Object.fromEntries(Object.entries(raw ?? {}).flatMap(([k, v]) => (v?.[0] ? [[k, v[0]]] : [])));
}
