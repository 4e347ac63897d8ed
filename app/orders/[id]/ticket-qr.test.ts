import { describe, expect, it } from "vitest";
import { ticketQrSvg } from "./ticket-qr";

describe("ticketQrSvg", () => {
  it("is one SVG image named after its seat", async () => {
    const svg = await ticketQrSvg("q7H2xv0kYF4oYw3c1N8Zbg", { section: "B", row: "12", number: 7 });
    expect(svg).toMatch(/^<svg role="img" aria-label="QR code for Section B, row 12, seat 7" focusable="false" class="ticket-qr-svg" xmlns=/);
    expect(svg).toMatch(/<\/svg>$/);
    expect(svg.match(/<svg/g)).toHaveLength(1);
  });

  it("escapes the name so a section called anything stays inside its attribute", async () => {
    const svg = await ticketQrSvg("code", { section: 'Box "A" & <B>', row: "1", number: 1 });
    expect(svg).toContain('aria-label="QR code for Box &quot;A&quot; &amp; &lt;B&gt;, row 1, seat 1"');
  });

  it("draws the same code the same way", async () => {
    const seat = { section: "A", row: "1", number: 1 };
    expect(await ticketQrSvg("same-code", seat)).toBe(await ticketQrSvg("same-code", seat));
    expect(await ticketQrSvg("same-code", seat)).not.toBe(await ticketQrSvg("other-code", seat));
  });
});
