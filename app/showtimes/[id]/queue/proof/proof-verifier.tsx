"use client";
// Recomputes the proof in the fan's browser (Web Crypto) and offers the entries as a JSON file.
import { useState } from "react";
import { verifyProof, type Check, type ProofInput } from "./verify";
import styles from "./proof.module.css";

type Props = ProofInput & { algorithm: string; left: string[] };

type Result = { checks: Check[] } | { error: string };

export function ProofVerifier(props: Props) {
  const [result, setResult] = useState<Result | null>(null);
  const [running, setRunning] = useState(false);
  const nothingYet = props.seed === null && props.yourEntry === null;

  async function run() {
    setRunning(true);
    setResult(null);
    try {
      if (!globalThis.crypto?.subtle) {
        setResult({ error: "This browser can’t compute SHA-256 here (Web Crypto needs a secure https connection)." });
        return;
      }
      setResult({ checks: await verifyProof(props) });
    } catch {
      setResult({ error: "The check could not run in this browser." });
    } finally {
      setRunning(false);
    }
  }

  function download() {
    const { showtimeId, commitment, seed, entries, left, algorithm } = props;
    const blob = new Blob([JSON.stringify({ showtimeId, commitment, seed, algorithm, entries, left }, null, 2)], {
      type: "application/json",
    });
    const url = URL.createObjectURL(blob);
    const link = document.createElement("a");
    link.href = url;
    link.download = `onsale-prequeue-${showtimeId}.json`;
    document.body.append(link);
    link.click();
    link.remove();
    setTimeout(() => URL.revokeObjectURL(url), 10_000);
  }

  return (
    <section className={`card ${styles.proofVerify}`} aria-labelledby="verify-title">
      <h2 id="verify-title">Check it yourself</h2>
      <p className="muted">
        Your browser recomputes the commitment from the seed, your entry from your account, and your place from the seed and every entry,
        with SHA-256. Nothing is sent anywhere.
      </p>
      {nothingYet ? <p>There is nothing to check yet: the seed is revealed when sales open, and you have no pre-queue entry.</p> : null}
      <div className="queue-actions">
        <button type="button" className="button" disabled={running || nothingYet} onClick={() => void run()}>
          {running ? "Checking…" : "Verify in my browser"}
        </button>
        <button type="button" className="button button-secondary" onClick={download}>
          Download the entries (JSON)
        </button>
      </div>
      <div role="status" aria-live="polite" className={styles.proofResults}>
        {result && "error" in result ? <p className="alert alert-error">{result.error}</p> : null}
        {result && "checks" in result ? (
          <ul className={styles.checkList}>
            {result.checks.map((c) => (
              <li key={c.label} className={c.ok ? `${styles.check} ${styles.checkOk}` : `${styles.check} ${styles.checkFail}`}>
                <span className={styles.checkMark} aria-hidden="true">
                  {c.ok ? "✓" : "✗"}
                </span>
                <span>
                  <strong>{c.ok ? "Verified" : "Does not match"}:</strong> {c.label}
                  <span className={styles.checkDetail}>{c.detail}</span>
                </span>
              </li>
            ))}
          </ul>
        ) : null}
      </div>
    </section>
  );
}
