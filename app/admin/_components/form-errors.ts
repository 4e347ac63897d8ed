// A failed admin mutation as messages for a form: the server's per-field messages go next to their
// fields, and anything the form has no field for is still said, at the top.
import type { ClientAppError } from "@/app/_components/app-error";

export type FieldMessages = Record<string, string>;

export type FormProblems = { fields: FieldMessages; form?: string };

/**
 * `details.fieldErrors` ({ field: [message, …] }) → the first message per field. A refusal naming a price
 * tier (`details.tierId`, e.g. repricing a tier with sold seats) is filed under `tier:<id>`.
 */
export function problemsOf(error: ClientAppError): FormProblems {
  const fields: FieldMessages = {};
  const raw = error.details?.fieldErrors;
  if (raw && typeof raw === "object") {
    for (const [key, value] of Object.entries(raw as Record<string, unknown>)) {
      const first = Array.isArray(value) ? value.find((m): m is string => typeof m === "string" && m.length > 0) : undefined;
      if (first) fields[key] = first;
    }
  }
  const tierId = error.details?.tierId;
  if (typeof tierId === "string") fields[`tier:${tierId}`] = error.message;
  if (error.code === "FORBIDDEN")
    return { fields, form: "Your account is no longer an administrator; ask another admin to restore access." };
  if (error.code === "UNAUTHENTICATED") return { fields, form: "Your session ended. Sign in again, then retry." };
  // The server's message repeats its first field message; with the messages beside the fields, say where to look.
  if (Object.keys(fields).length > 0) return { fields, form: "Some fields need attention; they are marked below." };
  return { fields, form: error.message };
}

/** Messages for fields the form does not show, as "field: message" lines for the top of the form. */
export function unplacedMessages(fields: FieldMessages, shown: readonly string[], labels: Record<string, string> = {}): string[] {
  return Object.entries(fields)
    .filter(([key]) => !shown.includes(key))
    .map(([key, message]) => `${labels[key] ?? key}: ${message}`);
}
