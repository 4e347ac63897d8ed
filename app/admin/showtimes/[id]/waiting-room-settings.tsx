"use client";
// The showtime's waiting-room settings (waitingRoom.updateSettings): stored, published to Redis and the
// admission schedule, so they apply by the next tick. Pause and resume live in the live view.
import { useMutation } from "@tanstack/react-query";
import { useState, type FormEvent } from "react";
import { appErrorOf } from "../../../_components/app-error";
import { useHydrated } from "../../../_components/use-hydrated";
import { useTRPC } from "../../../_trpc/client";
import { FormAlert } from "../../_components/fields";
import { problemsOf } from "../../_components/form-errors";
import { checkWaitingRoom, type Problems, type WaitingRoomDraft } from "../../_components/showtime-draft";
import { WaitingRoomFields } from "../../_components/showtime-fields";
import adminStyles from "../../_components/admin.module.css";
import styles from "./showtime.module.css";

type Settings = {
  enabled: boolean;
  paused: boolean;
  batchSize: number;
  intervalMs: number;
  maxActive: number;
  accessSeconds: number;
  idleSeconds: number;
};

const draftOf = (s: Settings): WaitingRoomDraft => ({
  enabled: s.enabled,
  batchSize: String(s.batchSize),
  intervalMs: String(s.intervalMs),
  maxActive: String(s.maxActive),
  accessSeconds: String(s.accessSeconds),
  idleSeconds: String(s.idleSeconds),
});

export function WaitingRoomSettings({ showtimeId, initial, readOnly }: { showtimeId: string; initial: Settings; readOnly: boolean }) {
  const trpc = useTRPC();
  const hydrated = useHydrated();
  const save = useMutation(trpc.waitingRoom.updateSettings.mutationOptions());
  const [draft, setDraft] = useState(() => draftOf(initial));
  const [problems, setProblems] = useState<Problems["waitingRoom"]>({});
  const [form, setForm] = useState<{ text: string; ok: boolean }>();

  async function onSubmit(e: FormEvent<HTMLFormElement>) {
    e.preventDefault();
    setForm(undefined);
    const p: Problems = { fields: {}, tiers: {}, waitingRoom: {} };
    const settings = checkWaitingRoom(draft, p);
    setProblems(p.waitingRoom);
    if (Object.keys(p.waitingRoom).length > 0) return;
    try {
      const after = await save.mutateAsync({ showtimeId, settings });
      setDraft(draftOf(after));
      setForm({ text: "Saved. The waiting room follows the new settings from its next tick.", ok: true });
    } catch (error) {
      const found = problemsOf(appErrorOf(error));
      setProblems(Object.fromEntries(Object.entries(found.fields).filter(([k]) => k in draft)));
      setForm({ text: found.form ?? "That didn’t work.", ok: false });
    }
  }

  return (
    <form
      className={`card ${adminStyles.adminPanel} ${adminStyles.adminFieldset}`}
      onSubmit={onSubmit}
      noValidate
      aria-busy={save.isPending}
      aria-labelledby="wr-title"
    >
      <h2 id="wr-title" className={styles.adminLegend}>
        Waiting room
      </h2>
      {form && !form.ok ? <FormAlert message={form.text} /> : null}
      {form?.ok ? (
        <p className={`alert ${adminStyles.adminAlertSuccess}`} role="status">
          {form.text}
        </p>
      ) : null}
      {initial.paused ? <p className="alert alert-warning">Admission is paused; resume it from the live view.</p> : null}
      <fieldset disabled={readOnly} className={adminStyles.adminPlainFieldset}>
        <WaitingRoomFields wr={draft} errors={problems} onChange={(f, v) => setDraft((d) => ({ ...d, [f]: v }))} />
      </fieldset>
      {readOnly ? null : (
        <div className={adminStyles.adminFormActions}>
          <button type="submit" className="button button-secondary" disabled={!hydrated || save.isPending}>
            {save.isPending ? "Saving…" : "Save waiting-room settings"}
          </button>
        </div>
      )}
    </form>
  );
}
