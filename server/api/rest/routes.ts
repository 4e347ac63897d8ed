// The REST API (/api/v1): resource-style paths over the same tRPC procedures the pages use. A route only
// names its procedure, verb, path and success status; input schemas, checks and behaviour all come from
// the procedure, so there is one definition of each operation.

export type RestRoute = {
  method: "GET" | "POST" | "PUT" | "DELETE";
  /** OpenAPI-style path below /api/v1, e.g. `/showtimes/{showtimeId}/holds`. */
  path: string;
  /** The tRPC procedure, e.g. `holds.create`. */
  procedure: string;
  /** 201 for creations, 204 (no body) for deletions; 200 otherwise. */
  status?: 200 | 201 | 204;
  summary: string;
  tag: string;
  /** Who may call: anyone, a signed-in fan, or a fan the waiting room admitted (X-Access-Token). */
  auth: "public" | "user" | "admitted";
};

export const REST_ROUTES: RestRoute[] = [
  {
    method: "GET",
    path: "/concerts",
    procedure: "catalog.search",
    summary: "Search concerts (text, city, dates; sorted by date, price or title), a page at a time",
    tag: "Concerts",
    auth: "public",
  },
  {
    method: "GET",
    path: "/concerts/{slug}",
    procedure: "catalog.concert",
    summary: "A concert with its showtimes",
    tag: "Concerts",
    auth: "public",
  },
  {
    method: "GET",
    path: "/showtimes/{showtimeId}",
    procedure: "showtimes.byId",
    summary: "A showtime: sale status, venue, price tiers, seat counts",
    tag: "Showtimes",
    auth: "public",
  },
  {
    method: "GET",
    path: "/showtimes/{showtimeId}/seats",
    procedure: "showtimes.seatMap",
    summary: "The seat map: sections, rows and seats as [id, number, x, y, tier, status] tuples",
    tag: "Showtimes",
    auth: "public",
  },

  {
    method: "GET",
    path: "/showtimes/{showtimeId}/presale",
    procedure: "showtimes.presaleStanding",
    summary: "Whether the fan may buy in the showtime's presale (on its list, or with a code)",
    tag: "Showtimes",
    auth: "user",
  },
  {
    method: "POST",
    path: "/showtimes/{showtimeId}/presale",
    procedure: "showtimes.redeemPresaleCode",
    summary: "Unlock the presale for the fan's account with an access code",
    tag: "Showtimes",
    auth: "user",
  },

  {
    method: "POST",
    path: "/showtimes/{showtimeId}/queue",
    procedure: "waitingRoom.join",
    status: 201,
    summary: "Join the waiting room (same place if already in line)",
    tag: "Waiting room",
    auth: "user",
  },
  {
    method: "GET",
    path: "/showtimes/{showtimeId}/queue",
    procedure: "waitingRoom.status",
    summary: "Position, estimated wait and poll interval; READY with an access token when admitted",
    tag: "Waiting room",
    auth: "user",
  },
  {
    method: "DELETE",
    path: "/showtimes/{showtimeId}/queue",
    procedure: "waitingRoom.leave",
    status: 204,
    summary: "Leave the waiting room",
    tag: "Waiting room",
    auth: "user",
  },

  {
    method: "POST",
    path: "/showtimes/{showtimeId}/holds",
    procedure: "holds.create",
    status: 201,
    summary: "Hold seats, all or nothing",
    tag: "Holds",
    auth: "admitted",
  },
  {
    method: "POST",
    path: "/showtimes/{showtimeId}/holds/best-available",
    procedure: "holds.bestAvailable",
    status: 201,
    summary: "Hold the best block of N adjacent free seats",
    tag: "Holds",
    auth: "admitted",
  },
  {
    method: "POST",
    path: "/showtimes/{showtimeId}/holds/{holdId}/extension",
    procedure: "holds.extend",
    summary: "Extend a hold once",
    tag: "Holds",
    auth: "admitted",
  },
  { method: "GET", path: "/holds", procedure: "holds.mine", summary: "The fan's holds, newest first", tag: "Holds", auth: "user" },
  {
    method: "DELETE",
    path: "/holds/{holdId}",
    procedure: "holds.release",
    status: 204,
    summary: "Release a hold",
    tag: "Holds",
    auth: "user",
  },

  { method: "GET", path: "/wallet", procedure: "wallet.balances", summary: "Wallet balances per currency", tag: "Wallet", auth: "user" },
  {
    method: "POST",
    path: "/wallet/top-ups",
    procedure: "wallet.topUp",
    status: 201,
    summary: "Top up the wallet (idempotent by key)",
    tag: "Wallet",
    auth: "user",
  },
  {
    method: "GET",
    path: "/wallet/ledger",
    procedure: "wallet.ledger",
    summary: "The wallet's ledger, newest first",
    tag: "Wallet",
    auth: "user",
  },

  {
    method: "POST",
    path: "/showtimes/{showtimeId}/orders",
    procedure: "orders.checkout",
    status: 201,
    summary: "Pay for a hold from the wallet (idempotent by key)",
    tag: "Orders",
    auth: "admitted",
  },
  { method: "GET", path: "/orders", procedure: "orders.list", summary: "The fan's orders (payment history)", tag: "Orders", auth: "user" },
  {
    method: "GET",
    path: "/orders/{orderId}",
    procedure: "orders.byId",
    summary: "An order with its tickets and payment",
    tag: "Orders",
    auth: "user",
  },
  {
    method: "POST",
    path: "/orders/{orderId}/refund",
    procedure: "orders.refund",
    summary: "Cancel an order for a refund to the wallet",
    tag: "Orders",
    auth: "user",
  },

  {
    method: "GET",
    path: "/tickets",
    procedure: "tickets.list",
    summary: "The fan's tickets with their QR codes",
    tag: "Tickets",
    auth: "user",
  },
  {
    method: "GET",
    path: "/transfers",
    procedure: "tickets.transfers",
    summary: "Transfer offers made by or to the fan",
    tag: "Tickets",
    auth: "user",
  },
  {
    method: "POST",
    path: "/tickets/{ticketId}/transfers",
    procedure: "tickets.offerTransfer",
    status: 201,
    summary: "Offer a ticket to another fan by email",
    tag: "Tickets",
    auth: "user",
  },
  {
    method: "DELETE",
    path: "/transfers/{transferId}",
    procedure: "tickets.cancelTransfer",
    status: 204,
    summary: "Cancel an open transfer offer",
    tag: "Tickets",
    auth: "user",
  },
  {
    method: "POST",
    path: "/transfers/{transferId}/accept",
    procedure: "tickets.acceptTransfer",
    summary: "Accept a ticket offered to you",
    tag: "Tickets",
    auth: "user",
  },
  {
    method: "POST",
    path: "/transfers/{transferId}/decline",
    procedure: "tickets.declineTransfer",
    summary: "Decline a ticket offered to you",
    tag: "Tickets",
    auth: "user",
  },
];

/** `/showtimes/{showtimeId}/holds` → a matcher returning `{ showtimeId }` for a concrete path, or null. */
export function compilePath(path: string): (actual: string) => Record<string, string> | null {
  const names: string[] = [];
  const pattern = path.replace(/\{([A-Za-z]+)\}/g, (_, name: string) => {
    names.push(name);
    return "([^/]+)";
  });
  const re = new RegExp(`^${pattern}/?$`);
  return (actual) => {
    const m = re.exec(actual);
    if (!m) return null;
    try {
      return Object.fromEntries(names.map((n, i) => [n, decodeURIComponent(m[i + 1]!)]));
    } catch {
      return null;
    }
  };
}
