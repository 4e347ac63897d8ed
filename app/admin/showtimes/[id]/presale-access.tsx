"use client";
// Who may buy in the showtime's presale (server/domain/presale): who it is for and its per-account limit,
// access codes (single-use or shared, revocable) and the list of invited emails.
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useState, type FormEvent } from "react";
import { appErrorOf } from "../../../_components/app-error";
import { Field } from "../../../_components/field";
import { formatCount, formatShowDateTime } from "../../../_components/format";
import { useTRPC } from "../../../_trpc/client";
import { ConfirmButton } from "../../_components/confirm-button";
import { FormAlert, TextAreaField } from "../../_components/fields";
import { problemsOf, type FieldMessages } from "../../_components/form-errors";
import adminStyles from "../../_components/admin.module.css";
import styles from "./showtime.module.css";
import { TableHead } from "../../../_components/table-head";

type Outcome = { text: string; ok: boolean } | undefined;

function Result({ outcome }: { outcome: Outcome }) {
  if (!outcome) return null;
  return outcome.ok ? (
    <p className={`alert ${adminStyles.adminAlertSuccess}`} role="status">
      {outcome.text}
    </p>
  ) : (
    <FormAlert message={outcome.text} />
  );
}

export function PresaleAccess({ showtimeId, timeZone, readOnly }: { showtimeId: string; timeZone: string; readOnly: boolean }) {
  const trpc = useTRPC();
  const presale = useQuery(trpc.admin.presale.get.queryOptions({ showtimeId }));
  return (
    <section
      className={`card ${adminStyles.adminPanel} ${adminStyles.adminFieldset}`}
      aria-labelledby="presale-title"
      aria-busy={presale.isFetching}
    >
      <h2 id="presale-title" className={styles.adminLegend}>
        Presale access
      </h2>
      {presale.isPending ? (
        <p className="muted">Loading the presale’s codes and list…</p>
      ) : presale.isError ? (
        <div className="alert alert-error" role="alert">
          <p>Couldn’t load the presale: {appErrorOf(presale.error).message}</p>
          <button type="button" className="button button-small" onClick={() => void presale.refetch()}>
            Try again
          </button>
        </div>
      ) : (
        <>
          <p className={`hint ${adminStyles.adminFieldsetHint}`}>
            {presale.data.presaleStartsAt && presale.data.presaleEndsAt ? (
              <>
                The presale runs {formatShowDateTime(presale.data.presaleStartsAt, timeZone)} to{" "}
                {formatShowDateTime(presale.data.presaleEndsAt, timeZone)}. Until general sale opens, only accounts on the list below or
                with a code may join the waiting room and hold seats.
              </>
            ) : (
              <>This showtime has no presale: set when it opens and closes above. Codes and the list apply only while one runs.</>
            )}
          </p>
          <PresaleSettings showtimeId={showtimeId} initial={presale.data} readOnly={readOnly} />
          <PresaleCodes showtimeId={showtimeId} codes={presale.data.codes} readOnly={readOnly} timeZone={timeZone} />
          <PresaleList showtimeId={showtimeId} list={presale.data.list} listed={presale.data.listed} readOnly={readOnly} />
        </>
      )}
    </section>
  );
}

function useRefresh(showtimeId: string) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  return () => queryClient.invalidateQueries({ queryKey: trpc.admin.presale.get.queryKey({ showtimeId }) });
}

function PresaleSettings({
  showtimeId,
  initial,
  readOnly,
}: {
  showtimeId: string;
  initial: { presaleFor: string | null; presaleLimit: number | null; perUserLimit: number };
  readOnly: boolean;
}) {
  const trpc = useTRPC();
  const refresh = useRefresh(showtimeId);
  const save = useMutation(trpc.admin.presale.updateSettings.mutationOptions());
  const [presaleFor, setPresaleFor] = useState(initial.presaleFor ?? "");
  const [limit, setLimit] = useState(initial.presaleLimit === null ? "" : String(initial.presaleLimit));
  const [errors, setErrors] = useState<FieldMessages>({});
  const [outcome, setOutcome] = useState<Outcome>();

  async function onSubmit(e: FormEvent) {
    e.preventDefault();
    setOutcome(undefined);
    const n = limit.trim() === "" ? null : Number(limit);
    if (n !== null && (!Number.isInteger(n) || n < 1 || n > initial.perUserLimit)) {
      setErrors({ presaleLimit: `A whole number from 1 to ${initial.perUserLimit} (the showtime’s limit), or empty.` });
      return;
    }
    setErrors({});
    try {
      await save.mutateAsync({ showtimeId, presaleFor: presaleFor.trim() || null, presaleLimit: n });
      setOutcome({ text: "Saved. The showtime page says who the presale is for.", ok: true });
      await refresh();
    } catch (error) {
      const found = problemsOf(appErrorOf(error));
      setErrors(found.fields);
      setOutcome({ text: found.form ?? "That didn’t work.", ok: false });
    }
  }

  return (
    <form onSubmit={onSubmit} noValidate aria-labelledby="presale-settings-title" className={styles.presaleAdminBlock}>
      <h3 id="presale-settings-title">Who it’s for</h3>
      <Result outcome={outcome} />
      <fieldset disabled={readOnly} className={`${adminStyles.adminPlainFieldset} ${adminStyles.adminGrid} ${adminStyles.adminGrid2}`}>
        <Field
          id="presale-for"
          label="Presale for"
          hint="Shown to fans, e.g. “Fan club members”."
          maxLength={120}
          value={presaleFor}
          onChange={(e) => setPresaleFor(e.target.value)}
          error={errors.presaleFor}
        />
        <Field
          id="presale-limit"
          label="Tickets per account in the presale"
          hint={`Empty: the showtime’s limit (${initial.perUserLimit}).`}
          inputMode="numeric"
          value={limit}
          onChange={(e) => setLimit(e.target.value)}
          error={errors.presaleLimit}
        />
      </fieldset>
      {readOnly ? null : (
        <div className={adminStyles.adminFormActions}>
          <button type="submit" className="button button-secondary" disabled={save.isPending}>
            {save.isPending ? "Saving…" : "Save presale settings"}
          </button>
        </div>
      )}
    </form>
  );
}

type Code = { id: string; code: string; label: string; maxUses: number; uses: number; revokedAt: Date | null; createdAt: Date };

function PresaleCodes({
  showtimeId,
  codes,
  readOnly,
  timeZone,
}: {
  showtimeId: string;
  codes: Code[];
  readOnly: boolean;
  timeZone: string;
}) {
  const trpc = useTRPC();
  const refresh = useRefresh(showtimeId);
  const create = useMutation(trpc.admin.presale.createCodes.mutationOptions());
  const revoke = useMutation(trpc.admin.presale.revokeCode.mutationOptions());
  const [draft, setDraft] = useState({ label: "", count: "1", maxUses: "1", code: "" });
  const [errors, setErrors] = useState<FieldMessages>({});
  const [outcome, setOutcome] = useState<Outcome>();
  const [created, setCreated] = useState<string[]>([]);

  async function onSubmit(e: FormEvent) {
    e.preventDefault();
    setOutcome(undefined);
    const count = Number(draft.count);
    const maxUses = Number(draft.maxUses);
    const problems: FieldMessages = {};
    if (!draft.label.trim()) problems.label = "Name the codes, e.g. after who gets them.";
    if (!Number.isInteger(count) || count < 1 || count > 500) problems.count = "From 1 to 500 codes at once.";
    if (!Number.isInteger(maxUses) || maxUses < 1) problems.maxUses = "A whole number, at least 1.";
    if (draft.code.trim() && count !== 1) problems.count = "A chosen code is one code: set this to 1.";
    setErrors(problems);
    if (Object.keys(problems).length > 0) return;
    try {
      const result = await create.mutateAsync({
        showtimeId,
        label: draft.label,
        count,
        maxUses,
        ...(draft.code.trim() ? { code: draft.code } : {}),
      });
      setCreated(result.codes);
      setOutcome({ text: `Created ${formatCount(result.codes.length)} code${result.codes.length === 1 ? "" : "s"}.`, ok: true });
      setDraft({ label: "", count: "1", maxUses: "1", code: "" });
      await refresh();
    } catch (error) {
      const found = problemsOf(appErrorOf(error));
      setErrors(found.fields);
      setOutcome({ text: found.form ?? "That didn’t work.", ok: false });
    }
  }

  return (
    <div className={styles.presaleAdminBlock}>
      <h3>Access codes</h3>
      {readOnly ? null : (
        <form onSubmit={onSubmit} noValidate aria-label="Create presale codes">
          <Result outcome={outcome} />
          <div className={`${adminStyles.adminGrid} ${adminStyles.adminGrid2}`}>
            <Field
              id="code-label"
              label="Name"
              hint="For you, never shown to fans."
              maxLength={80}
              value={draft.label}
              error={errors.label}
              onChange={(e) => setDraft((d) => ({ ...d, label: e.target.value }))}
            />
            <Field
              id="code-count"
              label="How many codes"
              inputMode="numeric"
              value={draft.count}
              error={errors.count}
              onChange={(e) => setDraft((d) => ({ ...d, count: e.target.value }))}
            />
            <Field
              id="code-uses"
              label="Accounts per code"
              hint="1: single-use. More: a shared code."
              inputMode="numeric"
              value={draft.maxUses}
              error={errors.maxUses}
              onChange={(e) => setDraft((d) => ({ ...d, maxUses: e.target.value }))}
            />
            <Field
              id="code-text"
              label="Code (optional)"
              hint="Empty: random codes like K7QPX-M3RTA."
              autoCapitalize="characters"
              maxLength={40}
              value={draft.code}
              error={errors.code}
              onChange={(e) => setDraft((d) => ({ ...d, code: e.target.value }))}
            />
          </div>
          <div className={adminStyles.adminFormActions}>
            <button type="submit" className="button button-secondary" disabled={create.isPending}>
              {create.isPending ? "Creating…" : "Create codes"}
            </button>
          </div>
          {created.length > 1 ? (
            <TextAreaField
              id="created-codes"
              label="New codes, one per line, to copy"
              readOnly
              rows={Math.min(8, created.length)}
              value={created.join("\n")}
            />
          ) : null}
        </form>
      )}
      {codes.length === 0 ? (
        <p className="muted">No codes yet.</p>
      ) : (
        <div className={adminStyles.adminTableWrap}>
          <table className={adminStyles.adminTable}>
            <caption className="visually-hidden">Presale codes</caption>
            <TableHead columns={["Code", "Name", "Used", "Created"]} actions />
            <tbody>
              {codes.map((c) => (
                <tr key={c.id}>
                  <td>
                    <code>{c.code}</code>
                  </td>
                  <td>{c.label}</td>
                  <td>
                    {formatCount(c.uses)} of {formatCount(c.maxUses)}
                    {c.revokedAt ? " · revoked" : c.uses >= c.maxUses ? " · used up" : ""}
                  </td>
                  <td>{formatShowDateTime(c.createdAt, timeZone)}</td>
                  <td>
                    {readOnly || c.revokedAt ? null : (
                      <ConfirmButton
                        label="Revoke"
                        title={`Revoke ${c.code}?`}
                        confirmLabel="Revoke code"
                        danger
                        onConfirm={async () => {
                          try {
                            await revoke.mutateAsync({ codeId: c.id });
                            setOutcome({ text: `Revoked ${c.code}.`, ok: true });
                          } catch (error) {
                            setOutcome({ text: appErrorOf(error).message, ok: false });
                          }
                          await refresh();
                        }}
                      >
                        <p>
                          Nobody can use it from now on, and the {formatCount(c.uses)} account{c.uses === 1 ? "" : "s"} that used it lose
                          their presale access (tickets already bought stay theirs).
                        </p>
                      </ConfirmButton>
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </div>
  );
}

function PresaleList({
  showtimeId,
  list,
  listed,
  readOnly,
}: {
  showtimeId: string;
  list: { email: string }[];
  listed: number;
  readOnly: boolean;
}) {
  const trpc = useTRPC();
  const refresh = useRefresh(showtimeId);
  const add = useMutation(trpc.admin.presale.addToList.mutationOptions());
  const remove = useMutation(trpc.admin.presale.removeFromList.mutationOptions());
  const [emails, setEmails] = useState("");
  const [error, setError] = useState<string>();
  const [outcome, setOutcome] = useState<Outcome>();

  async function onSubmit(e: FormEvent) {
    e.preventDefault();
    setOutcome(undefined);
    if (!emails.trim()) return setError("Enter at least one email address.");
    setError(undefined);
    try {
      const result = await add.mutateAsync({ showtimeId, emails });
      setOutcome({
        text: `Added ${formatCount(result.added)}${result.alreadyListed > 0 ? `; ${formatCount(result.alreadyListed)} already on the list` : ""}.`,
        ok: true,
      });
      setEmails("");
      await refresh();
    } catch (err) {
      const e = appErrorOf(err);
      const found = problemsOf(e);
      setError(found.fields.emails ?? e.message);
    }
  }

  return (
    <div className={styles.presaleAdminBlock}>
      <h3>Invited accounts</h3>
      {readOnly ? null : (
        <form onSubmit={onSubmit} noValidate aria-label="Add emails to the presale list">
          <Result outcome={outcome} />
          <TextAreaField
            id="presale-emails"
            label="Emails to add"
            hint="One per line, or separated by commas. Someone without an account yet gets the presale when they sign up with that email."
            rows={4}
            value={emails}
            error={error}
            onChange={(e) => setEmails(e.target.value)}
          />
          <div className={adminStyles.adminFormActions}>
            <button type="submit" className="button button-secondary" disabled={add.isPending}>
              {add.isPending ? "Adding…" : "Add to list"}
            </button>
          </div>
        </form>
      )}
      {listed === 0 ? (
        <p className="muted">Nobody is on the list yet.</p>
      ) : (
        <>
          <p className="muted">
            {formatCount(listed)} on the list{listed > list.length ? `; the latest ${formatCount(list.length)} shown` : ""}.
          </p>
          <ul className={styles.presaleList}>
            {list.map((entry) => (
              <li key={entry.email}>
                <span>{entry.email}</span>
                {readOnly ? null : (
                  <button
                    type="button"
                    className="button button-small button-secondary"
                    disabled={remove.isPending}
                    aria-label={`Remove ${entry.email}`}
                    onClick={async () => {
                      try {
                        await remove.mutateAsync({ showtimeId, email: entry.email });
                        setOutcome({ text: `Removed ${entry.email}.`, ok: true });
                      } catch (err) {
                        setOutcome({ text: appErrorOf(err).message, ok: false });
                      }
                      await refresh();
                    }}
                  >
                    Remove
                  </button>
                )}
              </li>
            ))}
          </ul>
        </>
      )}
    </div>
  );
}
