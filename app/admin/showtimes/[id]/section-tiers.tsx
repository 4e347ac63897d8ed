"use client";
// Move a section to another price tier (admin.showtimes.setSectionTier), one section at a time; the
// server refuses once any of its seats is sold or held, and the message shows on that section.
import { useMutation } from "@tanstack/react-query";
import { useRouter } from "next/navigation";
import { useState } from "react";
import { appErrorOf } from "../../../_components/app-error";
import { formatCount } from "../../../_components/format";
import { useTRPC } from "../../../_trpc/client";
import { SelectField } from "../../_components/fields";
import { problemsOf } from "../../_components/form-errors";
import type { SectionTierRow } from "./load-editable-showtime";
import adminStyles from "../../_components/admin.module.css";

type Tier = { id: string; name: string; color: string };

export function SectionTiers({
  showtimeId,
  sections,
  tiers,
  readOnly,
}: {
  showtimeId: string;
  sections: SectionTierRow[];
  tiers: Tier[];
  readOnly: boolean;
}) {
  const router = useRouter();
  const trpc = useTRPC();
  const move = useMutation(trpc.admin.showtimes.setSectionTier.mutationOptions());
  const [current, setCurrent] = useState(() => Object.fromEntries(sections.map((s) => [s.id, s.tierId])));
  const [picked, setPicked] = useState(current);
  const [messages, setMessages] = useState<Record<string, { text: string; error: boolean }>>({});
  const [busy, setBusy] = useState<string>();

  async function apply(section: SectionTierRow) {
    const tierId = picked[section.id];
    if (!tierId || tierId === "mixed") return;
    setBusy(section.id);
    setMessages((m) => ({ ...m, [section.id]: { text: "", error: false } }));
    try {
      const { seats } = await move.mutateAsync({ showtimeId, sectionId: section.id, priceTierId: tierId });
      setCurrent((c) => ({ ...c, [section.id]: tierId }));
      const name = tiers.find((t) => t.id === tierId)?.name ?? "the new tier";
      setMessages((m) => ({ ...m, [section.id]: { text: `Moved ${formatCount(seats)} seats to ${name}.`, error: false } }));
      router.refresh();
    } catch (error) {
      setMessages((m) => ({ ...m, [section.id]: { text: problemsOf(appErrorOf(error)).form ?? "That didn’t work.", error: true } }));
    } finally {
      setBusy(undefined);
    }
  }

  return (
    <ul className={adminStyles.adminSectionTiers}>
      {sections.map((s) => {
        const changed = picked[s.id] !== current[s.id] && picked[s.id] !== "mixed";
        const message = messages[s.id];
        return (
          <li key={s.id}>
            <SelectField
              id={`move-${s.id}`}
              label={`${s.name} · ${formatCount(s.seats)} seats`}
              value={picked[s.id] ?? ""}
              disabled={readOnly || busy !== undefined}
              onChange={(e) => {
                const v = e.target.value;
                setPicked((p) => ({ ...p, [s.id]: v }));
              }}
              error={message?.error ? message.text : undefined}
              hint={
                message && !message.error && message.text
                  ? message.text
                  : s.taken === null
                    ? "Some seats of its tier are sold or held; if any are in this section, its tier can no longer change."
                    : s.taken > 0
                      ? `${formatCount(s.taken)} sold or held: its tier can no longer change.`
                      : undefined
              }
            >
              {current[s.id] === "mixed" ? <option value="mixed">Mixed tiers</option> : null}
              {tiers.map((t) => (
                <option key={t.id} value={t.id}>
                  {t.name}
                </option>
              ))}
            </SelectField>
            {changed && !readOnly ? (
              <button type="button" className="button button-small" onClick={() => apply(s)} disabled={busy !== undefined}>
                {busy === s.id ? "Moving…" : "Apply"}
                <span className="visually-hidden"> to {s.name}</span>
              </button>
            ) : null}
          </li>
        );
      })}
    </ul>
  );
}
