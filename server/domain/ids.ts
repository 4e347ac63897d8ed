// The one shape of a record's id in any input (cuid, uuid, or a seed's readable id): at most 64 letters,
// digits, `_` and `-`, so an id never carries anything a query, a key or a log line could mistake.
import { z } from "zod";

export const ZId = z
  .string()
  .trim()
  .min(1)
  .max(64)
  .regex(/^[A-Za-z0-9_-]+$/, "Not a valid id.");
