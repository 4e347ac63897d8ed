// A ticket's QR code as an inline SVG with an accessible name; drawn on the server from the ticket's code.
import QRCode from "qrcode";
import { seatName, type SeatRef } from "../seat-name";

const escapeAttribute = (s: string) => s.replace(/&/g, "&amp;").replace(/"/g, "&quot;").replace(/</g, "&lt;").replace(/>/g, "&gt;");

/** The SVG markup, named "QR code for <seat>" for assistive technology. */
export async function ticketQrSvg(code: string, seat: SeatRef): Promise<string> {
  const svg = await QRCode.toString(code, { type: "svg", margin: 1, errorCorrectionLevel: "M" });
  const label = escapeAttribute(`QR code for ${seatName(seat)}`);
  return svg.trim().replace(/^<svg /, `<svg role="img" aria-label="${label}" focusable="false" class="ticket-qr-svg" `);
}
