import { describe, expect, it } from "vitest";
import { z } from "zod";
import { fieldErrorsOf } from "./errors.ts";

describe("fieldErrorsOf", () => {
  it("names nested fields by their dotted path, so each message can sit beside its input", () => {
    const schema = z.object({
      amount: z.number().positive("Above zero, please.").max(10, "At most 10."),
      settings: z.object({ batchSize: z.number().min(1, "At least 1.") }),
      sections: z.array(z.object({ rows: z.number().min(1, "At least one row.") })),
    });
    const result = schema.safeParse({ amount: -1, settings: { batchSize: 0 }, sections: [{ rows: 2 }, { rows: 0 }] });
    expect(result.success).toBe(false);
    expect(fieldErrorsOf(result.error!.issues)).toEqual({
      amount: ["Above zero, please."],
      "settings.batchSize": ["At least 1."],
      "sections.1.rows": ["At least one row."],
    });
  });
});
