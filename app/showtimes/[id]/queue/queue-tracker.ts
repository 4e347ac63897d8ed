// Where the fan stands, fed by every status the page receives (join, the live stream, polls). It lives
// outside React so the bookkeeping (clock, storage, what was last announced) stays out of render.
import type { WaitingStatus } from "@/server/domain/waiting-room/queue";
import { formatShowDateTime } from "../../../_components/format";
import { forgetStartPosition, rememberStartPosition, saveAccessToken } from "../../../_lib/access-token";
import { formatDuration, nextAnnouncement, progressOf, type AnnounceMemo } from "./queue-model";
import { forgetQueueToken } from "../../../_lib/queue-token";

export type QueueView = {
  status: WaitingStatus;
  /** 0..1 towards the front, measured from where the fan joined (WAITING only). */
  progress: number;
  /** How long the access lasts, measured when it was granted (READY only). */
  accessMs: number;
};

export type QueueSnapshot = { view: QueueView | null; announcement: string };

export class QueueTracker {
  private snapshot: QueueSnapshot = { view: null, announcement: "" };
  private memo: AnnounceMemo | null = null;
  private stopped = false;
  private readonly listeners = new Set<() => void>();

  constructor(
    private readonly showtimeId: string,
    private readonly timeZone: string,
  ) {}

  readonly subscribe = (listener: () => void) => {
    this.listeners.add(listener);
    return () => void this.listeners.delete(listener);
  };

  readonly getSnapshot = () => this.snapshot;

  /** After leaving: late updates from the stream or a poll must not redraw the line. */
  readonly stop = () => {
    this.stopped = true;
  };

  readonly resume = () => {
    this.stopped = false;
  };

  readonly accept = (status: WaitingStatus) => {
    if (this.stopped) return;
    const now = Date.now();
    let progress = 0;
    let accessMs = 0;
    if (status.state === "WAITING") {
      progress = progressOf(rememberStartPosition(this.showtimeId, status.position), status.position);
    } else if (status.state === "READY") {
      progress = 1;
      accessMs = status.accessExpiresAt.getTime() - now;
      saveAccessToken(this.showtimeId, status.accessToken);
      forgetStartPosition(this.showtimeId);
      // Admitted: the place is spent. A fan whose access is lost later queues again through the line.
      forgetQueueToken(this.showtimeId);
    }
    const note = nextAnnouncement(this.memo, status, progress, now, {
      opensAt: status.state === "PREQUEUED" ? formatShowDateTime(status.opensAt, this.timeZone) : undefined,
      accessFor: status.state === "READY" ? formatDuration(accessMs) : undefined,
    });
    if (note) this.memo = note.memo;
    this.snapshot = { view: { status, progress, accessMs }, announcement: note ? note.text : this.snapshot.announcement };
    for (const listener of this.listeners) listener();
  };
}
