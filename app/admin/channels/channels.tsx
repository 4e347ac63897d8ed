"use client";
// The channel list with the form that adds one; each channel's keys are in ChannelCard.
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useState, type FormEvent } from "react";
import { appErrorOf } from "@/app/_components/app-error";
import { Field } from "@/app/_components/field";
import { useTRPC } from "@/app/_trpc/client";
import { ChannelCard } from "./channel-card";
import { fieldErrorsOf } from "./field-errors";
import styles from "./channels.module.css";
import adminStyles from "../_components/admin.module.css";
import { LoadError } from "../../_components/load-error";

const without = (errors: Record<string, string>, key: string) => Object.fromEntries(Object.entries(errors).filter(([k]) => k !== key));

export function Channels() {
  const trpc = useTRPC();
  const channels = useQuery(trpc.admin.channels.list.queryOptions());

  let list;
  if (channels.status === "pending") {
    list = (
      <div aria-busy="true">
        <p className="visually-hidden" role="status">
          Loading channels…
        </p>
        {[0, 1].map((i) => (
          <div key={i} className={`skeleton ${styles.opsCardSkeleton}`} aria-hidden="true" />
        ))}
      </div>
    );
  } else if (channels.status === "error") {
    list = <LoadError title="We couldn’t load the channels" query={channels} />;
  } else if (channels.data.length === 0) {
    list = (
      <div className="empty-state">
        <h2>No partner channels yet</h2>
        <p>Create one below, then issue it a key.</p>
      </div>
    );
  } else {
    list = (
      <ul className={styles.opsChannelList}>
        {channels.data.map((c) => (
          <li key={c.id}>
            <ChannelCard channel={c} />
          </li>
        ))}
      </ul>
    );
  }

  return (
    <div className="ops-channels">
      <section aria-labelledby="channels-title">
        <h2 id="channels-title" className="visually-hidden">
          Channels
        </h2>
        {list}
      </section>
      <CreateChannel />
    </div>
  );
}

function CreateChannel() {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const [code, setCode] = useState("");
  const [name, setName] = useState("");
  const [local, setLocal] = useState<Record<string, string>>({});
  const [announcement, setAnnouncement] = useState("");
  const create = useMutation(
    trpc.admin.channels.create.mutationOptions({
      onSuccess: async (channel) => {
        await queryClient.invalidateQueries(trpc.admin.channels.list.queryFilter());
        setCode("");
        setName("");
        setAnnouncement(`Channel ${channel.name} (${channel.code}) created. Issue it a key to let the partner in.`);
      },
    }),
  );
  const error = create.isError ? appErrorOf(create.error) : null;
  const errors = { ...fieldErrorsOf(error), ...local };
  const formError = error && Object.keys(fieldErrorsOf(error)).length === 0 ? error.message : null;

  const submit = (e: FormEvent<HTMLFormElement>) => {
    e.preventDefault();
    setAnnouncement("");
    const problems: Record<string, string> = {};
    if (!code.trim()) problems.code = "Enter a code, e.g. MELON.";
    if (!name.trim()) problems.name = "Give the channel a name.";
    setLocal(problems);
    if (Object.keys(problems).length > 0) {
      create.reset();
      return;
    }
    create.mutate({ code: code.trim(), name: name.trim() });
  };

  return (
    <section className={`card ${adminStyles.opsCard} ops-create-channel`} aria-labelledby="new-channel-title">
      <h2 id="new-channel-title">New channel</h2>
      <form onSubmit={submit} noValidate>
        <div className={styles.opsFormRow}>
          <Field
            id="channel-code"
            label="Code"
            hint="Partners send it in the Channel header. Letters, digits, _ and -."
            value={code}
            maxLength={40}
            autoComplete="off"
            spellCheck={false}
            error={errors.code}
            onChange={(e) => {
              setCode(e.currentTarget.value);
              setLocal((l) => without(l, "code"));
            }}
          />
          <Field
            id="channel-name"
            label="Name"
            hint="Who the partner is, e.g. Melon Ticket."
            value={name}
            maxLength={120}
            autoComplete="off"
            error={errors.name}
            onChange={(e) => {
              setName(e.currentTarget.value);
              setLocal((l) => without(l, "name"));
            }}
          />
        </div>
        {formError ? (
          <p className="alert alert-error" role="alert">
            We couldn’t create the channel: {formError}
          </p>
        ) : null}
        <button type="submit" className="button" disabled={create.isPending}>
          {create.isPending ? "Creating…" : "Create channel"}
        </button>
        <p role="status" className={adminStyles.liveAnnounce}>
          {announcement}
        </p>
      </form>
    </section>
  );
}
