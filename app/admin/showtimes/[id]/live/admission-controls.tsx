"use client";
// Steering admission while the sale runs: pause/resume, and the rate (batch per tick, tick interval) with the
// cap on shoppers at once. Nothing is shown as changed until the server confirms; the worker's next tick
// uses it.
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useState, type FormEvent } from "react";
import type { inferRouterOutputs } from "@trpc/server";
import type { AppRouter } from "@/server/api/root";
import { appErrorOf } from "@/app/_components/app-error";
import { Field } from "@/app/_components/field";
import { useTRPC } from "@/app/_trpc/client";
import { PAUSE_NOTE_MAX } from "@/server/domain/waiting-room/limits";
import { describeRate, draftOf, readRateDraft, type RateDraft, type RateFieldErrors } from "./live-model";
import styles from "./live.module.css";
import adminStyles from "../../../_components/admin.module.css";

type Live = inferRouterOutputs<AppRouter>["admin"]["showtimes"]["live"];
type Settings = inferRouterOutputs<AppRouter>["waitingRoom"]["updateSettings"];

const count = new Intl.NumberFormat("en-US");

/** Puts the confirmed settings into the live figures at once, then reads them afresh. */
function useSettingsMutation(showtimeId: string, onDone: (after: Settings) => void) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  return useMutation(
    trpc.waitingRoom.updateSettings.mutationOptions({
      onSuccess: async (after) => {
        queryClient.setQueryData(trpc.admin.showtimes.live.queryKey({ showtimeId }), (old) =>
          old
            ? {
                ...old,
                waitingRoom: {
                  ...old.waitingRoom,
                  enabled: after.enabled,
                  paused: after.paused,
                  pauseNote: after.pauseNote,
                  batchSize: after.batchSize,
                  intervalMs: after.intervalMs,
                  maxActive: after.maxActive,
                },
              }
            : old,
        );
        onDone(after);
        await Promise.all([
          queryClient.invalidateQueries(trpc.admin.showtimes.live.queryFilter({ showtimeId })),
          queryClient.invalidateQueries(trpc.admin.audit.pathFilter()),
        ]);
      },
    }),
  );
}

export function AdmissionControls({ showtimeId, line }: { showtimeId: string; line: Live["waitingRoom"] }) {
  const [announcement, setAnnouncement] = useState("");
  // The words waiting fans see while paused: typed before pausing, or changed during the pause.
  const [note, setNote] = useState<string | null>(null);
  const noteValue = note ?? line.pauseNote ?? "";
  const noteTooLong = noteValue.trim().length > PAUSE_NOTE_MAX;
  const toggle = useSettingsMutation(showtimeId, (after) => {
    setNote(null);
    setAnnouncement(
      after.paused
        ? `Admission paused. No one more is let in from the next tick. Waiting fans see ${after.pauseNote ? "your message" : "that it is paused"}.`
        : "Admission resumed from the next tick.",
    );
  });
  const toggleError = toggle.isError ? appErrorOf(toggle.error) : null;
  const pauseNote = noteValue.trim() || null;

  return (
    <div className={styles.liveControls}>
      <div className={styles.livePause}>
        <p className={styles.livePauseState}>
          Admission:{" "}
          <strong className={line.paused ? styles.liveStatePaused : styles.liveStateRunning}>{line.paused ? "Paused" : "Running"}</strong>
        </p>
        <button
          type="button"
          className={line.paused ? "button" : "button button-danger"}
          disabled={toggle.isPending}
          onClick={() => {
            setAnnouncement("");
            if (noteTooLong) return;
            // Resuming clears the message, so the next pause starts without an old one.
            toggle.mutate({ showtimeId, settings: line.paused ? { paused: false, pauseNote: null } : { paused: true, pauseNote } });
          }}
        >
          {toggle.isPending ? (line.paused ? "Resuming…" : "Pausing…") : line.paused ? "Resume admission" : "Pause admission"}
        </button>
      </div>
      <div className={styles.livePauseNote}>
        <label htmlFor="pause-note">{line.paused ? "Message to waiting fans" : "Message to waiting fans if you pause (optional)"}</label>
        <textarea
          id="pause-note"
          rows={2}
          value={noteValue}
          aria-invalid={noteTooLong || undefined}
          aria-describedby="pause-note-hint"
          onChange={(e) => setNote(e.currentTarget.value)}
          placeholder="For example: We’re fixing a payment problem and will resume in about 10 minutes."
        />
        <p id="pause-note-hint" className={noteTooLong ? "field-error" : "muted"}>
          {noteTooLong
            ? `Keep the message to ${PAUSE_NOTE_MAX} characters (it has ${noteValue.trim().length}).`
            : `Shown in the waiting room while admission is paused. Up to ${PAUSE_NOTE_MAX} characters.`}
        </p>
        {line.paused ? (
          <button
            type="button"
            className="button button-secondary button-small"
            disabled={toggle.isPending || noteTooLong || pauseNote === line.pauseNote}
            onClick={() => {
              setAnnouncement("");
              toggle.mutate({ showtimeId, settings: { pauseNote } });
            }}
          >
            {pauseNote ? "Update the message" : "Remove the message"}
          </button>
        ) : null}
      </div>
      {toggleError ? (
        <p className="alert alert-error" role="alert">
          {line.paused ? "We couldn’t resume admission" : "We couldn’t pause admission"}: {toggleError.message}
        </p>
      ) : null}
      <p role="status" className={adminStyles.liveAnnounce}>
        {announcement}
      </p>
      <RateForm showtimeId={showtimeId} line={line} />
    </div>
  );
}

function RateForm({ showtimeId, line }: { showtimeId: string; line: Live["waitingRoom"] }) {
  const current = { batchSize: line.batchSize, intervalMs: line.intervalMs, maxActive: line.maxActive };
  // The admin's edits, kept apart from the figures that refresh every second; null shows the server's.
  const [draft, setDraft] = useState<RateDraft | null>(null);
  const [errors, setErrors] = useState<RateFieldErrors>({});
  const [message, setMessage] = useState("");
  const save = useSettingsMutation(showtimeId, (after) => {
    setDraft(null);
    setMessage(
      `Saved: ${describeRate(after.batchSize, after.intervalMs)}, at most ${count.format(after.maxActive)} shopping at once. It applies from the next tick.`,
    );
  });
  const values = draft ?? draftOf(current);
  const serverError = save.isError ? appErrorOf(save.error) : null;

  const edit = (field: keyof RateDraft) => (e: { currentTarget: HTMLInputElement }) => {
    const value = e.currentTarget.value;
    setDraft((d) => ({ ...(d ?? draftOf(current)), [field]: value }));
    setErrors((errs) => ({ ...errs, [field]: undefined }));
    setMessage("");
  };

  const submit = (e: FormEvent<HTMLFormElement>) => {
    e.preventDefault();
    setMessage("");
    save.reset();
    const read = readRateDraft(values, current);
    if (!read.ok) {
      setErrors(read.errors);
      return;
    }
    setErrors({});
    if (Object.keys(read.patch).length === 0) {
      setDraft(null);
      setMessage("Nothing to change: these are the current settings.");
      return;
    }
    save.mutate({ showtimeId, settings: read.patch });
  };

  return (
    <form className={styles.liveRate} onSubmit={submit} noValidate aria-labelledby="rate-title">
      <h3 id="rate-title">Admission rate</h3>
      <p className={`muted ${styles.liveRateNow}`}>
        Now {describeRate(line.batchSize, line.intervalMs)}, at most {count.format(line.maxActive)} shopping at once.
      </p>
      <div className={styles.liveRateFields}>
        <Field
          id="rate-batch"
          label="Fans per tick"
          inputMode="numeric"
          autoComplete="off"
          value={values.batchSize}
          onChange={edit("batchSize")}
          error={errors.batchSize}
        />
        <Field
          id="rate-interval"
          label="Tick every (seconds)"
          inputMode="decimal"
          autoComplete="off"
          value={values.intervalSeconds}
          onChange={edit("intervalSeconds")}
          error={errors.intervalSeconds}
        />
        <Field
          id="rate-max"
          label="Max active shoppers"
          inputMode="numeric"
          autoComplete="off"
          value={values.maxActive}
          onChange={edit("maxActive")}
          error={errors.maxActive}
        />
      </div>
      {serverError ? (
        <p className="alert alert-error" role="alert">
          We couldn’t change the rate: {fieldMessages(serverError.details) ?? serverError.message}
        </p>
      ) : null}
      <div className={styles.liveRateActions}>
        <button type="submit" className="button" disabled={save.isPending}>
          {save.isPending ? "Saving…" : "Change rate"}
        </button>
        {draft ? (
          <button
            type="button"
            className="link-button"
            onClick={() => {
              setDraft(null);
              setErrors({});
            }}
          >
            Undo edits
          </button>
        ) : null}
      </div>
      <p role="status" className={adminStyles.liveAnnounce}>
        {message}
      </p>
    </form>
  );
}

/** The server's field messages, in one line (nested settings arrive under `settings`). */
function fieldMessages(details: Record<string, unknown> | undefined): string | null {
  const fieldErrors = details?.fieldErrors as Record<string, string[] | undefined> | undefined;
  const all = Object.values(fieldErrors ?? {}).flatMap((m) => m ?? []);
  return all.length > 0 ? all.join(" ") : null;
}
