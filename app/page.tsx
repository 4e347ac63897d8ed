// Home: what's selling now and what opens soon.
import Link from "next/link";
import { serverApi } from "@/server/api/server";
import { ConcertGrid } from "./_components/concert-card";
import styles from "./home.module.css";

export default async function HomePage() {
  const { onSale, upcoming } = await (await serverApi()).catalog.home();
  return (
    <>
      <section className={styles.hero} aria-labelledby="hero-title">
        <h1 id="hero-title">Live music, fairly sold.</h1>
        <p>Find a show, wait your turn in a line nobody can skip, and pick the seats you want from the real seat map.</p>
        <form className={styles.heroSearch} action="/search" role="search" aria-label="Search concerts">
          <label htmlFor="hero-q" className="visually-hidden">
            Search concerts
          </label>
          <input id="hero-q" name="q" type="search" className="input" placeholder="Artist, concert or venue" />
          <button type="submit" className="button">
            Search
          </button>
        </form>
      </section>

      <section className="section" aria-labelledby="on-sale-title">
        <div className="section-head">
          <h2 id="on-sale-title">On sale now</h2>
          <p>{onSale.length > 0 ? `${onSale.length} concert${onSale.length === 1 ? "" : "s"}` : null}</p>
        </div>
        {onSale.length > 0 ? (
          <ConcertGrid concerts={onSale} eagerCount={4} />
        ) : (
          <div className="empty-state">
            <h3>Nothing on sale right now</h3>
            <p>New shows go on sale every week. Check the ones coming soon below.</p>
          </div>
        )}
      </section>

      <section className="section" aria-labelledby="coming-soon-title">
        <div className="section-head">
          <h2 id="coming-soon-title">Coming soon</h2>
          <p>{upcoming.length > 0 ? "Sales open soon — be ready." : null}</p>
        </div>
        {upcoming.length > 0 ? (
          <ConcertGrid concerts={upcoming} />
        ) : (
          <div className="empty-state">
            <h3>No announcements yet</h3>
            <p>
              Nothing is scheduled to open soon. <Link href="/search">Search all concerts</Link>.
            </p>
          </div>
        )}
      </section>
    </>
  );
}
