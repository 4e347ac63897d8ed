// Showtime procedures: a showtime's overview and its seat map.
import { z } from "zod";
import { ZId } from "../../domain/ids.ts";
import { onSeatChanges, seatVersionOf, type SeatChange, type SeatChangeEvent } from "../../domain/seatmap/events.ts";
import { getSeatMap, getShowtimeOverview } from "../../domain/seatmap/seat-map.ts";
import { getSeatStatus } from "../../domain/seatmap/status.ts";
import { presaleStanding, redeemPresaleCode, ZRedeemPresaleCodeInput } from "../../domain/presale/presale.ts";
import { plainJson } from "../transformer.ts";
import { admittedProcedure, authedProcedure, createTRPCRouter, publicProcedure, ZAdmittedInput } from "../trpc.ts";

export const showtimesRouter = createTRPCRouter({
  byId: publicProcedure
    .input(z.strictObject({ showtimeId: ZId }))
    .query(({ ctx, input }) => getShowtimeOverview(input.showtimeId, { db: ctx.db })),
  /** Whether the signed-in fan may buy in the showtime's presale (on its list, or with a code). */
  presaleStanding: authedProcedure
    .input(z.strictObject({ showtimeId: ZId }))
    .query(({ ctx, input }) => presaleStanding(input.showtimeId, ctx.user.id, { db: ctx.db })),
  /** Unlocks the presale with an access code; counted per account, guessing is rate-limited. */
  redeemPresaleCode: authedProcedure
    .meta({ rateLimit: "presaleCode" })
    .input(ZRedeemPresaleCodeInput)
    .mutation(({ ctx, input }) => redeemPresaleCode(input, ctx.user.id, { db: ctx.db })),
  /**
   * Entry to seat selection, behind the waiting-room gate: what the admitted fan may do and until when.
   * Holds and checkout (later) sit behind the same gate.
   */
  selection: admittedProcedure.input(ZAdmittedInput).query(async ({ ctx, input }) => {
    const { showtime } = await getShowtimeOverview(input.showtimeId, { db: ctx.db });
    return {
      showtimeId: showtime.id,
      accessExpiresAt: ctx.accessExpiresAt,
      /** With no seats held, doing nothing on the seat map this long gives the turn away; 0 = never. */
      idleMs: ctx.idleMs,
      perUserLimit: showtime.perUserLimit,
      holdSeconds: showtime.holdSeconds,
      holdExtendSeconds: showtime.holdExtendSeconds,
    };
  }),
  /**
   * The whole seat map in one answer: sections, rows and seat tuples with their statuses (the REST API's
   * seat map). Made from the cached layout and status vector; the pages read those two instead.
   */
  seatMap: publicProcedure
    .meta({ rateLimit: "seatmap" })
    .input(z.strictObject({ showtimeId: ZId }))
    .query(async ({ ctx, input }) => {
      const map = await getSeatMap(input.showtimeId, { db: ctx.db });
      return { ...map, sections: plainJson(map.sections) };
    }),

  /**
   * Every seat's status, one byte each (0 available, 1 held, 2 sold) in the layout's seat order
   * (GET /api/seat-layout/{showtimeId}), base64-encoded, at the seat version the live changes continue from.
   */
  seatStatus: publicProcedure
    .meta({ rateLimit: "seatmap" })
    .input(z.strictObject({ showtimeId: ZId }))
    .query(({ ctx, input }) => getSeatStatus(input.showtimeId, { db: ctx.db })),

  /**
   * Live seat changes over server-sent events, fed by Redis pub/sub. First `ready` once listening (the
   * client re-reads the statuses then, so nothing falls between its read and the stream); then batches of
   * changes with the versions they span, a burst within COALESCE_MS sent as one, the last status of a seat
   * winning.
   */
  seatChanges: publicProcedure.input(z.strictObject({ showtimeId: ZId })).subscription(async function* ({
    input,
    signal,
  }): AsyncGenerator<SeatChangeEvent> {
    const pending = new Map<number, SeatChange[1]>();
    let span: { from: number; to: number } | null = null;
    /** This stream itself missed a change (its versions skip one): the client must read the statuses again. */
    let gap = false;
    let wake: (() => void) | undefined;
    const stop = await onSeatChanges(input.showtimeId, (change) => {
      for (const [id, status] of change.seats) pending.set(id, status);
      if (span && change.version !== span.to + 1) gap = true;
      span = span
        ? { from: Math.min(span.from, change.version), to: Math.max(span.to, change.version) }
        : { from: change.version, to: change.version };
      wake?.();
    });
    const aborted = new Promise<void>((resolve) => signal?.addEventListener("abort", () => resolve(), { once: true }));
    try {
      const listeningFrom = async () => ({ kind: "ready" as const, version: (await seatVersionOf(input.showtimeId)) ?? 0 });
      yield await listeningFrom();
      while (!signal?.aborted) {
        if (pending.size === 0) await Promise.race([new Promise<void>((resolve) => (wake = resolve)), aborted]);
        wake = undefined;
        if (pending.size === 0 || !span) continue;
        await new Promise((resolve) => setTimeout(resolve, COALESCE_MS));
        const seats = [...pending];
        const { from, to } = span as { from: number; to: number };
        const missed = gap;
        pending.clear();
        span = null;
        gap = false;
        // A batch with a hole would claim versions it does not carry: "ready" has the client read again.
        yield missed ? await listeningFrom() : { kind: "seats", from, to, seats };
      }
    } finally {
      await stop();
    }
  }),
});

/** Changes this close together reach the browser as one message: fewer redraws in a surge, still well under a second. */
const COALESCE_MS = 50;
