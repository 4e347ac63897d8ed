import QRCode from "qrcode";
import { describe, expect, it } from "vitest";
import { ticketQrSvg } from "./ticket-qr";

describe("ticketQrSvg", () => {
  it("is one SVG image named after its seat", () => {
    const svg = ticketQrSvg("q7H2xv0kYF4oYw3c1N8Zbg", "Section B, row 12, seat 7");
    expect(svg).toMatch(/^<svg role="img" aria-label="QR code for Section B, row 12, seat 7" focusable="false" xmlns=/);
    expect(svg).toMatch(/<\/svg>$/);
    expect(svg.match(/<svg/g)).toHaveLength(1);
  });

  it("draws exactly what qrcode draws for the code, at the medium error correction level", async () => {
    const code = "q7H2xv0kYF4oYw3c1N8Zbg";
    const reference = await QRCode.toString(code, { type: "svg", margin: 1, errorCorrectionLevel: "M" });
    const pathsOf = (svg: string) => svg.slice(svg.indexOf(">") + 1);
    expect(pathsOf(ticketQrSvg(code, "Floor, row 1, seat 1"))).toBe(pathsOf(reference.trim()));
  });

  it("escapes the name so a section called anything stays inside its attribute", () => {
    const svg = ticketQrSvg("code", 'Box "A" & <B>, row 1, seat 1');
    expect(svg).toContain('aria-label="QR code for Box &quot;A&quot; &amp; &lt;B&gt;, row 1, seat 1"');
  });

  it("draws a new code differently, so a replaced code's QR is visibly another", () => {
    expect(ticketQrSvg("same-code", "A")).toBe(ticketQrSvg("same-code", "A"));
    expect(ticketQrSvg("same-code", "A")).not.toBe(ticketQrSvg("other-code", "A"));
  });
});
