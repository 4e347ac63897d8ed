// The pre-queue fairness proof for one showtime: the commitment, the seed once revealed, the fan's own entry,
// draw and place, every entry, and a check that runs in the fan's browser.
import { Breadcrumbs } from "../../../../_components/breadcrumbs";
import type { Metadata } from "next";
import Link from "next/link";
import { redirect } from "next/navigation";
import { serverApi } from "@/server/api/server";
import { getSession } from "@/server/auth";
import { formatCount } from "../../../../_components/format";
import { loadShowtime } from "../../../../_lib/load-showtime";
import { ProofVerifier } from "./proof-verifier";
import styles from "./proof.module.css";

type Props = { params: Promise<{ id: string }> };

export async function generateMetadata({ params }: Props): Promise<Metadata> {
  const { showtime } = await loadShowtime((await params).id);
  return { title: `Fairness proof — ${showtime.concert.title}` };
}

export default async function ProofPage({ params }: Props) {
  const { id } = await params;
  const session = await getSession();
  if (!session) redirect(`/sign-in?callbackUrl=${encodeURIComponent(`/showtimes/${id}/queue/proof`)}`);
  const { showtime, venue } = await loadShowtime(id);
  const proof = await (await serverApi()).waitingRoom.proof({ showtimeId: showtime.id });
  const entries = proof.entries.length;
  const youLeft = proof.yourEntry !== null && proof.left.includes(proof.yourEntry);

  return (
    <>
      <Breadcrumbs
        trail={[
          { href: "/", label: "Concerts" },
          { href: `/concerts/${showtime.concert.slug}`, label: showtime.concert.title },
          { href: `/showtimes/${showtime.id}/queue`, label: "Waiting room" },
        ]}
        current="Fairness proof"
      />

      <header className="queue-header">
        <p className="eyebrow">
          {showtime.concert.title} · {venue.name}
        </p>
        <h1>Fairness proof</h1>
        <p className={styles.proofIntro}>
          Fans who join before sales open are put in a random order when sales open. Before opening we publish a commitment: the SHA-256 of
          a secret seed. When sales open we reveal the seed, and every place follows from the seed and the list of entries — so anyone can
          recompute the order, and nobody, us included, could have changed it after seeing who joined.
        </p>
      </header>

      <div className={styles.proofLayout}>
        <section className={`card ${styles.proofFacts}`} aria-labelledby="facts-title">
          <h2 id="facts-title">The draw</h2>
          <dl>
            <div>
              <dt>Commitment</dt>
              <dd>
                <code className={styles.hash}>{proof.commitment}</code>
              </dd>
            </div>
            <div>
              <dt>Seed</dt>
              <dd>
                {proof.seed ? <code className={styles.hash}>{proof.seed}</code> : <span className="muted">Revealed when sales open</span>}
              </dd>
            </div>
            <div>
              <dt>{proof.opened ? "Entries in the draw" : "Entries in the pre-queue"}</dt>
              <dd>
                {formatCount(entries)}
                {proof.left.length > 0 ? (
                  <span className="muted">
                    {" "}
                    · {formatCount(proof.left.length)} of them left the line since; their places stay in the draw, unused
                  </span>
                ) : null}
              </dd>
            </div>
          </dl>

          <h3 id="yours-title">Your entry</h3>
          {proof.yourEntry ? (
            <dl aria-labelledby="yours-title">
              <div>
                <dt>Entry</dt>
                <dd>
                  <code className={styles.hash}>{proof.yourEntry}</code>
                </dd>
              </div>
              <div>
                <dt>Draw</dt>
                <dd>
                  {proof.yourDraw ? (
                    <code className={styles.hash}>{proof.yourDraw}</code>
                  ) : (
                    <span className="muted">Drawn when sales open</span>
                  )}
                </dd>
              </div>
              <div>
                <dt>Place</dt>
                <dd>
                  {proof.yourPlace !== null ? (
                    <>
                      <strong>
                        {formatCount(proof.yourPlace)} of {formatCount(entries)}
                      </strong>
                      {youLeft ? <span className="muted"> (you left the line after the draw)</span> : null}
                    </>
                  ) : (
                    <span className="muted">Given when sales open</span>
                  )}
                </dd>
              </div>
            </dl>
          ) : (
            <p className="muted">
              You have no pre-queue entry for this showtime. Fans who join after sales open are placed by arrival: first come, first served,
              behind the pre-queue.
            </p>
          )}

          <h3>The algorithm</h3>
          <pre className={styles.proofAlgorithm}>
            <code>{proof.algorithm}</code>
          </pre>
        </section>

        <ProofVerifier
          showtimeId={proof.showtimeId}
          userId={session.user.id}
          commitment={proof.commitment}
          seed={proof.seed}
          entries={proof.entries}
          left={proof.left}
          yourEntry={proof.yourEntry}
          yourPlace={proof.yourPlace}
          algorithm={proof.algorithm}
        />
      </div>

      <p className={styles.proofBack}>
        <Link href={`/showtimes/${showtime.id}/queue`}>Back to the waiting room</Link>
      </p>
    </>
  );
}
