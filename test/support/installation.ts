// One installation's side of a test that runs several on one Redis. Run as a script with that
// installation's DATABASE_URL (and REDIS_PREFIX, or none for the default) it sets up a small on-sale, or
// reports what the installation sees, as one `RESULT <json>` line on stdout. A process of its own, because
// the database and the Redis prefix are read once per process.
//
//   node --import tsx test/support/installation.ts setup
//   node --import tsx test/support/installation.ts observe '<the setup result>'
import { changeWaitingRoom } from "../../server/domain/admin/onsale.ts";
import { checkHealth, type Health } from "../../server/domain/health/health.ts";
import { getWaitingStatus, joinWaitingRoom } from "../../server/domain/waiting-room/queue.ts";
import { prisma } from "../../server/db.ts";
import { env } from "../../server/env.ts";
import { enqueueHoldExpiry, holdsQueue, sharedWaitingRoomQueue } from "../../server/queue/queues.ts";
import { redis } from "../../server/redis.ts";
import { holdSeatsDirectly, makeConcert, makeFans, makeUser } from "./factories.ts";

export type OnSale = { prefix: string; showtimeId: string; fans: string[]; holdId: string };
export type Seen = {
  prefix: string;
  /** How many of the on-sale's fans the waiting room has admitted. */
  admitted: number;
  /** The hold's status, read after `holdJobDone`: a job done before it was read has had its effect. */
  hold: string;
  /** Whether the hold's expiry job has left this installation's queue: taken by a worker and completed. */
  holdJobDone: boolean;
  health: Health;
};

/** How long the on-sale's hold lasts: its expiry job is due this long after set-up. */
const HOLD_MS = 1_500;

async function setup(): Promise<OnSale> {
  const admin = await makeUser({ role: "ADMIN" });
  const concert = await makeConcert({ layout: { rows: 1, seatsPerRow: 4 } });
  const showtimeId = concert.showtimes[0]!.id;
  // A live line with quick ticks: only a worker admits anyone from it.
  await changeWaitingRoom(
    showtimeId,
    { enabled: true, paused: false, batchSize: 10, intervalMs: 250, maxActive: 100, stockFactor: 100 },
    admin.id,
    { queue: sharedWaitingRoomQueue() },
  );
  const fans = await makeFans(3);
  for (const userId of fans) await joinWaitingRoom({ showtimeId, userId });
  const seats = await prisma().seat.findMany({ where: { showtimeId }, select: { id: true }, orderBy: { id: "asc" }, take: 2 });
  const heldUntil = new Date(Date.now() + HOLD_MS);
  const holdId = await holdSeatsDirectly(
    showtimeId,
    seats.map((s) => s.id),
    heldUntil,
  );
  if (!(await enqueueHoldExpiry(holdId, heldUntil))) throw new Error("the hold's expiry job was not queued");
  return { prefix: env().REDIS_PREFIX, showtimeId, fans, holdId };
}

async function observe(onSale: OnSale): Promise<Seen> {
  const statuses = await Promise.all(onSale.fans.map((userId) => getWaitingStatus({ showtimeId: onSale.showtimeId, userId })));
  // A completed job is removed from the queue (removeOnComplete); a running one is still there.
  const holdJobDone = (await holdsQueue().getJob(onSale.holdId)) === undefined;
  const hold = await prisma().hold.findUnique({ where: { id: onSale.holdId }, select: { status: true } });
  return {
    prefix: env().REDIS_PREFIX,
    admitted: statuses.filter((s) => s.state === "READY").length,
    hold: hold?.status ?? "MISSING",
    holdJobDone,
    // What /api/health answers (server/http/api-routes.ts).
    health: await checkHealth({ db: prisma(), redis: redis() }),
  };
}

const [command, arg] = process.argv.slice(2);
const result = command === "setup" ? setup() : command === "observe" && arg ? observe(JSON.parse(arg) as OnSale) : undefined;
if (!result) {
  console.error("usage: installation.ts setup | observe '<setup result>'");
  process.exit(2);
}
result.then(
  (value) => {
    // Writes to a pipe are synchronous on Linux, so the line is out before the exit.
    process.stdout.write(`RESULT ${JSON.stringify(value)}\n`);
    process.exit(0);
  },
  (err: unknown) => {
    console.error(err);
    process.exit(1);
  },
);
