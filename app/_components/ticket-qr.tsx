// A ticket's QR code: an inline SVG drawn from the ticket's code and named after its seat, so a screen
// reader says "QR code for Section B, row 12, seat 7". Has no client-only hooks: server pages use it too.
import QRCode from "qrcode";
import { useMemo } from "react";

const escapeAttribute = (s: string) => s.replace(/&/g, "&amp;").replace(/"/g, "&quot;").replace(/</g, "&lt;").replace(/>/g, "&gt;");

/** "QR code for Section B, row 12, seat 7". */
export const qrCodeName = (seat: string) => `QR code for ${seat}`;

/**
 * The SVG markup for `code`, with `role="img"` and the accessible name. Given a callback, qrcode builds an
 * SVG in one synchronous pass (no canvas, no I/O), so pages need not wait for a promise per ticket.
 */
export function ticketQrSvg(code: string, seat: string): string {
  let svg = "";
  QRCode.toString(code, { type: "svg", margin: 1, errorCorrectionLevel: "M" }, (error, markup) => {
    if (error) throw error;
    svg = markup;
  });
  if (!svg.startsWith("<svg ")) throw new Error("qrcode did not draw the SVG synchronously");
  const name = escapeAttribute(qrCodeName(seat));
  return svg.trim().replace(/^<svg /, `<svg role="img" aria-label="${name}" focusable="false" `);
}

type Props = {
  /** The ticket's code, exactly what the door scanner reads. */
  code: string;
  /** The seat in words, as the ticket names it: "Section B, row 12, seat 7". */
  seat: string;
  className?: string;
};

export function TicketQr({ code, seat, className }: Props) {
  // Pages that re-render every second (countdowns) should not redraw every code each time.
  const svg = useMemo(() => ticketQrSvg(code, seat), [code, seat]);
  // The markup comes from qrcode (paths only) with the one attribute we add escaped above.
  return <div className={className ? `ticket-qr ${className}` : "ticket-qr"} dangerouslySetInnerHTML={{ __html: svg }} />;
}
