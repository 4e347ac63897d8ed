import { describe, expect, it } from "vitest";
import { problemsOf, unplacedMessages } from "./form-errors";

describe("problemsOf", () => {
  it("takes the first message of each field the server named", () => {
    const p = problemsOf({
      code: "VALIDATION_FAILED",
      message: "Some fields need attention.",
      details: {
        fieldErrors: { doorsAt: ["Doors must open before the show starts."], tiers: ["Add at least one price tier.", "x"], empty: [] },
      },
    });
    expect(p).toEqual({
      fields: { doorsAt: "Doors must open before the show starts.", tiers: "Add at least one price tier." },
      form: "Some fields need attention; they are marked below.",
    });
  });

  it("files a refusal about one price tier under that tier", () => {
    const p = problemsOf({
      code: "CONFLICT",
      message: '"Floor" has 3 seats sold or on hold; its price can no longer change.',
      details: { tierId: "t1", taken: 3 },
    });
    expect(p.fields).toEqual({ "tier:t1": '"Floor" has 3 seats sold or on hold; its price can no longer change.' });
  });

  it("explains a lost role or session instead of the raw message", () => {
    expect(problemsOf({ code: "FORBIDDEN", message: "This needs an administrator account." }).form).toMatch(/no longer an administrator/);
    expect(problemsOf({ code: "UNAUTHENTICATED", message: "Sign in to continue." }).form).toMatch(/Sign in again/);
    expect(problemsOf({ code: "NETWORK", message: "We couldn’t reach Onsale." })).toEqual({
      fields: {},
      form: "We couldn’t reach Onsale.",
    });
  });
});

describe("unplacedMessages", () => {
  it("lists what has no field on the form, with readable names", () => {
    expect(unplacedMessages({ slug: "Taken.", stage: "Too small." }, ["slug"], { stage: "Stage" })).toEqual(["Stage: Too small."]);
  });
});
