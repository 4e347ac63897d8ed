"use client";
// One channel: its keys (name, visible prefix, created, last used, revoked), issuing a new key — shown once,
// in a dialog — and revoking one after a confirmation.
import { useMutation, useQueryClient } from "@tanstack/react-query";
import type { inferRouterOutputs } from "@trpc/server";
import { useEffect, useRef, useState, type FormEvent } from "react";
import type { AppRouter } from "@/server/api/root";
import { appErrorOf } from "@/app/_components/app-error";
import { useTRPC } from "@/app/_trpc/client";
import { fieldErrorsOf } from "./field-errors";
import adminStyles from "../_components/admin.module.css";
import styles from "./channels.module.css";
import { TableHead } from "../../_components/table-head";

type Channel = inferRouterOutputs<AppRouter>["admin"]["channels"]["list"][number];
type Key = Channel["apiKeys"][number];
type IssuedKey = inferRouterOutputs<AppRouter>["admin"]["channels"]["issueKey"];

const at = new Intl.DateTimeFormat("en-US", { month: "short", day: "numeric", year: "numeric", hour: "numeric", minute: "2-digit" });

export function ChannelCard({ channel }: { channel: Channel }) {
  const [issued, setIssued] = useState<IssuedKey | null>(null);
  const [revoking, setRevoking] = useState<Key | null>(null);
  const [announcement, setAnnouncement] = useState("");
  const live = channel.apiKeys.filter((k) => !k.revokedAt).length;
  const headingId = `channel-${channel.id}`;

  return (
    <article className={`card ${adminStyles.opsCard} ${styles.opsChannel}`} aria-labelledby={headingId}>
      <header className={styles.opsChannelHead}>
        <div>
          <h2 id={headingId}>{channel.name}</h2>
          <p className="muted">
            Code <code className={adminStyles.opsCode}>{channel.code}</code> · created{" "}
            <time dateTime={channel.createdAt.toISOString()}>{at.format(channel.createdAt)}</time>
          </p>
        </div>
        <p className="muted">
          {live} active key{live === 1 ? "" : "s"}
        </p>
      </header>

      {channel.apiKeys.length === 0 ? (
        <p className={`muted ${styles.opsKeysEmpty}`}>No keys yet: the partner cannot call the API until you issue one.</p>
      ) : (
        <table className={`${adminStyles.opsTable} ${adminStyles.opsTableCompact}`}>
          <caption className="visually-hidden">API keys of {channel.name}</caption>
          <TableHead columns={["Key name", "Key", "Created", "Last used", "Status"]} actions />
          <tbody>
            {channel.apiKeys.map((k) => (
              <tr key={k.id} className={k.revokedAt ? styles.opsRowMuted : undefined}>
                <td data-label="Key name">
                  <span className={adminStyles.opsStrong}>{k.name}</span>
                </td>
                <td data-label="Key">
                  <code className={adminStyles.opsCode}>{k.prefix}…</code>
                </td>
                <td data-label="Created">
                  <time dateTime={k.createdAt.toISOString()}>{at.format(k.createdAt)}</time>
                </td>
                <td data-label="Last used">
                  {k.lastUsedAt ? (
                    <time dateTime={k.lastUsedAt.toISOString()}>{at.format(k.lastUsedAt)}</time>
                  ) : (
                    <span className="muted">Never</span>
                  )}
                </td>
                <td data-label="Status">
                  {k.revokedAt ? (
                    <>
                      <span className="badge badge-cancelled">Revoked</span>
                      <time className={adminStyles.opsSub} dateTime={k.revokedAt.toISOString()}>
                        {at.format(k.revokedAt)}
                      </time>
                    </>
                  ) : (
                    <span className="badge badge-on_sale">Active</span>
                  )}
                </td>
                <td className={adminStyles.opsRowActions}>
                  {k.revokedAt ? null : (
                    <button
                      type="button"
                      className="button button-secondary button-small"
                      aria-label={`Revoke ${k.name}`}
                      disabled={revoking?.id === k.id}
                      onClick={() => {
                        setAnnouncement("");
                        setRevoking(k);
                      }}
                    >
                      Revoke…
                    </button>
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}

      {revoking ? (
        <RevokeConfirm
          key={revoking.id}
          apiKey={revoking}
          onDone={(message) => {
            setRevoking(null);
            if (message) setAnnouncement(message);
          }}
        />
      ) : null}

      <IssueKeyForm channel={channel} onIssued={setIssued} />
      <p role="status" className={adminStyles.liveAnnounce}>
        {announcement}
      </p>
      {issued ? (
        <KeyDialog
          issued={issued}
          channelCode={channel.code}
          onClose={() => {
            setAnnouncement(`Key ${issued.name} issued for ${channel.name}.`);
            setIssued(null);
          }}
        />
      ) : null}
    </article>
  );
}

function IssueKeyForm({ channel, onIssued }: { channel: Channel; onIssued: (key: IssuedKey) => void }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const [name, setName] = useState("");
  const [localError, setLocalError] = useState<string | null>(null);
  const issue = useMutation(
    trpc.admin.channels.issueKey.mutationOptions({
      onSuccess: async (key) => {
        setName("");
        onIssued(key);
        await queryClient.invalidateQueries(trpc.admin.channels.list.queryFilter());
      },
    }),
  );
  const error = issue.isError ? appErrorOf(issue.error) : null;
  const nameError = localError ?? fieldErrorsOf(error).name ?? null;
  const formError = error && !fieldErrorsOf(error).name ? error.message : null;
  const inputId = `key-name-${channel.id}`;

  const submit = (e: FormEvent<HTMLFormElement>) => {
    e.preventDefault();
    if (!name.trim()) {
      issue.reset();
      setLocalError("Name the key, e.g. after the system that uses it.");
      return;
    }
    setLocalError(null);
    issue.mutate({ channelId: channel.id, name: name.trim() });
  };

  return (
    <form className={styles.opsIssueKey} onSubmit={submit} noValidate>
      <div className="field">
        <label htmlFor={inputId}>New key for {channel.name}</label>
        <div className={styles.opsInlineField}>
          <input
            id={inputId}
            className="input"
            value={name}
            maxLength={80}
            autoComplete="off"
            placeholder="Key name, e.g. production"
            aria-invalid={nameError ? true : undefined}
            aria-describedby={nameError ? `${inputId}-error` : undefined}
            onChange={(e) => {
              setName(e.currentTarget.value);
              setLocalError(null);
            }}
          />
          <button type="submit" className="button" disabled={issue.isPending}>
            {issue.isPending ? "Issuing…" : "Issue key"}
          </button>
        </div>
        {nameError ? (
          <p id={`${inputId}-error`} className="field-error">
            {nameError}
          </p>
        ) : null}
      </div>
      {formError ? (
        <p className="alert alert-error" role="alert">
          We couldn’t issue the key: {formError}
        </p>
      ) : null}
    </form>
  );
}

function RevokeConfirm({ apiKey, onDone }: { apiKey: Key; onDone: (message?: string) => void }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const ref = useRef<HTMLDivElement>(null);
  const revoke = useMutation(
    trpc.admin.channels.revokeKey.mutationOptions({
      onSuccess: async () => {
        await queryClient.invalidateQueries(trpc.admin.channels.list.queryFilter());
        onDone(`Key ${apiKey.name} revoked. Requests with it are refused from now on.`);
      },
      onError: () => void queryClient.invalidateQueries(trpc.admin.channels.list.queryFilter()),
    }),
  );
  useEffect(() => ref.current?.focus(), []);
  const error = revoke.isError ? appErrorOf(revoke.error) : null;

  return (
    <div ref={ref} tabIndex={-1} className={adminStyles.opsConfirm} role="group" aria-labelledby={`revoke-${apiKey.id}`}>
      <p id={`revoke-${apiKey.id}`}>
        <strong>
          Revoke {apiKey.name} (<code className={adminStyles.opsCode}>{apiKey.prefix}…</code>)?
        </strong>{" "}
        The partner’s requests with this key are refused at once. This can’t be undone; issue a new key if they still need access.
      </p>
      {error ? (
        <p className="alert alert-error" role="alert">
          We couldn’t revoke the key: {error.message}
        </p>
      ) : null}
      <div className={adminStyles.opsConfirmActions}>
        <button
          type="button"
          className="button button-danger"
          disabled={revoke.isPending}
          onClick={() => revoke.mutate({ keyId: apiKey.id })}
        >
          {revoke.isPending ? "Revoking…" : "Revoke key"}
        </button>
        <button type="button" className="button button-secondary" disabled={revoke.isPending} onClick={() => onDone()}>
          Keep it
        </button>
      </div>
    </div>
  );
}

/** The only time anyone sees the key: a modal dialog with a copy button; closing it forgets the key. */
function KeyDialog({ issued, channelCode, onClose }: { issued: IssuedKey; channelCode: string; onClose: () => void }) {
  const ref = useRef<HTMLDialogElement>(null);
  const inputRef = useRef<HTMLInputElement>(null);
  const [copy, setCopy] = useState<"idle" | "copied" | "failed">("idle");

  useEffect(() => {
    const dialog = ref.current;
    if (dialog && !dialog.open) dialog.showModal();
    inputRef.current?.select();
  }, []);

  const copyKey = async () => {
    try {
      await navigator.clipboard.writeText(issued.key);
      setCopy("copied");
    } catch {
      inputRef.current?.select();
      setCopy("failed");
    }
  };

  return (
    <dialog ref={ref} className={styles.opsDialog} aria-labelledby="key-dialog-title" aria-describedby="key-dialog-note" onClose={onClose}>
      <h2 id="key-dialog-title">Your new API key: {issued.name}</h2>
      <p id="key-dialog-note" className="alert alert-warning">
        <strong>Copy it now: you won’t see it again.</strong> Onsale keeps only a hash of the key; if it is lost, revoke it and issue a new
        one.
      </p>
      <label htmlFor="issued-key" className={styles.opsDialogLabel}>
        API key
      </label>
      <div className={styles.opsInlineField}>
        <input
          ref={inputRef}
          id="issued-key"
          className={`input ${adminStyles.opsCode} ${styles.opsKeyValue}`}
          readOnly
          value={issued.key}
          spellCheck={false}
          onFocus={(e) => e.currentTarget.select()}
        />
        <button type="button" className="button" onClick={() => void copyKey()}>
          {copy === "copied" ? "Copied" : "Copy key"}
        </button>
      </div>
      <p role="status" className={styles.opsCopyStatus}>
        {copy === "copied"
          ? "The key is on your clipboard."
          : copy === "failed"
            ? "Copying didn’t work here: the key is selected, press Ctrl+C (⌘C on a Mac)."
            : ""}
      </p>
      <p className={`muted ${adminStyles.opsNote}`}>
        The partner sends it as <code className={adminStyles.opsCode}>Authorization: Token &lt;key&gt;</code> with{" "}
        <code className={adminStyles.opsCode}>Channel: Code {channelCode}</code>.
      </p>
      <form method="dialog" className={styles.opsDialogActions}>
        <button type="submit" className="button button-secondary">
          Done, I’ve copied it
        </button>
      </form>
    </dialog>
  );
}
