// Waiting-room procedures: thin adapters over server/domain/waiting-room.
import { getWaitingRoomStats } from "../../domain/waiting-room/admission.ts";
import { onWaitingRoomEvent } from "../../domain/waiting-room/events.ts";
import {
  getFairnessProof,
  getWaitingStatus,
  joinWaitingRoom,
  leaveWaitingRoom,
  reclaimPlace,
  ZQueueRef,
  ZShowtimeRef,
  type WaitingStatus,
} from "../../domain/waiting-room/queue.ts";
import { changeWaitingRoom } from "../../domain/admin/onsale.ts";
import { loadSettings, ZWaitingRoomSettingsInput } from "../../domain/waiting-room/settings.ts";
import { sharedWaitingRoomQueue } from "../../queue/queues.ts";
import { adminProcedure, admittedProcedure, authedProcedure, createTRPCRouter, ZAdmittedInput } from "../trpc.ts";

/** Position updates are pushed at most this often per fan, however fast the line moves. */
const WATCH_MIN_GAP_MS = 1_000;
/** A quiet line still gets a fresh status now and then (estimates, expiry of the wait). */
const WATCH_IDLE_MS = 15_000;

export const waitingRoomRouter = createTRPCRouter({
  /** With the fan's last queue token, a place Redis lost is given back (DESIGN.md, docs/reliability.md). */
  join: authedProcedure
    .input(ZQueueRef)
    .mutation(({ ctx, input }) =>
      joinWaitingRoom({ showtimeId: input.showtimeId, userId: ctx.user.id, queueToken: input.queueToken }, { db: ctx.db }),
    ),

  status: authedProcedure
    .meta({ rateLimit: "waitingRoomStatus" })
    .input(ZQueueRef)
    .query(({ ctx, input }) =>
      getWaitingStatus({ showtimeId: input.showtimeId, userId: ctx.user.id, queueToken: input.queueToken }, { db: ctx.db }),
    ),

  leave: authedProcedure
    .input(ZShowtimeRef)
    .mutation(({ ctx, input }) => leaveWaitingRoom({ showtimeId: input.showtimeId, userId: ctx.user.id })),

  /**
   * The admitted fan's page says they are still choosing (they tapped, scrolled, typed): passing the gate
   * keeps an idle release away for another idle time.
   */
  stillHere: admittedProcedure.input(ZAdmittedInput).mutation(({ ctx }) => ({ accessExpiresAt: ctx.accessExpiresAt, idleMs: ctx.idleMs })),

  /** After an idle release: back in line at the place the fan was admitted from, once. */
  reclaim: authedProcedure
    .input(ZShowtimeRef)
    .mutation(({ ctx, input }) => reclaimPlace({ showtimeId: input.showtimeId, userId: ctx.user.id }, { db: ctx.db })),

  proof: authedProcedure
    .input(ZShowtimeRef)
    .query(({ ctx, input }) => getFairnessProof({ showtimeId: input.showtimeId, userId: ctx.user.id }, { db: ctx.db })),

  /** Live status over server-sent events, fed by Redis pub/sub; ends once the fan is admitted. */
  watch: authedProcedure.input(ZQueueRef).subscription(async function* ({ ctx, input, signal }) {
    const ref = { showtimeId: input.showtimeId, userId: ctx.user.id, queueToken: input.queueToken };
    let wake: (() => void) | undefined;
    let pending = false;
    const stop = await onWaitingRoomEvent(input.showtimeId, () => {
      pending = true;
      wake?.();
    });
    const aborted = new Promise<void>((resolve) => signal?.addEventListener("abort", () => resolve(), { once: true }));
    try {
      let last: WaitingStatus | undefined;
      while (!signal?.aborted) {
        pending = false;
        const status = await getWaitingStatus(ref, { db: ctx.db });
        if (JSON.stringify(status) !== JSON.stringify(last)) yield status;
        last = status;
        if (status.state === "READY" || status.state === "NONE") return;
        await new Promise((r) => setTimeout(r, WATCH_MIN_GAP_MS));
        if (!pending) {
          let idle: NodeJS.Timeout | undefined;
          await Promise.race([
            new Promise<void>((resolve) => {
              wake = resolve;
              idle = setTimeout(resolve, WATCH_IDLE_MS);
            }),
            aborted,
          ]);
          clearTimeout(idle);
        }
        wake = undefined;
      }
    } finally {
      await stop();
    }
  }),

  settings: adminProcedure.input(ZShowtimeRef).query(({ ctx, input }) => loadSettings(input.showtimeId, ctx.db)),

  /** Enable/disable, pause/resume, batch, interval, max active, access window…; applies by the next tick. */
  updateSettings: adminProcedure
    .input(ZShowtimeRef.extend({ settings: ZWaitingRoomSettingsInput }))
    .mutation(({ ctx, input }) =>
      changeWaitingRoom(input.showtimeId, input.settings, ctx.user.id, { db: ctx.db, queue: sharedWaitingRoomQueue() }),
    ),

  stats: adminProcedure.input(ZShowtimeRef).query(({ input }) => getWaitingRoomStats(input.showtimeId)),
});
