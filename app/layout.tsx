import type { Metadata, Viewport } from "next";
import Link from "next/link";
import type { ReactNode } from "react";
import { getSession } from "@/server/auth";
import { Providers } from "./_trpc/client";
import { Logo } from "./_components/icons";
import { NavLinks } from "./_components/nav-links";
import { SiteMenu } from "./_components/site-menu";
import { SignOutButton } from "./_components/sign-out-button";
import "./globals.css";

export const metadata: Metadata = {
  title: { default: "Onsale — concert tickets, fairly sold", template: "%s · Onsale" },
  description: "Find concerts, join a fair waiting room, pick your seats and get your tickets.",
  applicationName: "Onsale",
  icons: { icon: "/favicon.svg" },
};

export const viewport: Viewport = {
  width: "device-width",
  initialScale: 1,
  themeColor: "#4c2fd8",
};

export default async function RootLayout({ children }: { children: ReactNode }) {
  const session = await getSession();
  const user = session?.user ?? null;
  return (
    <html lang="en">
      <body>
        <a className="skip-link" href="#main">
          Skip to content
        </a>
        <Providers>
          <header className="site-header">
            <div className="container">
              {/* The site's chrome links do not prefetch: on every page view of an on-sale they asked the web
                  tier for a dozen page payloads the fan rarely opens (docs/performance.md). */}
              <Link href="/" className="brand" aria-label="Onsale home" prefetch={false}>
                <Logo />
                <span>Onsale</span>
              </Link>
              <SiteMenu>
                <NavLinks signedIn={user !== null} isAdmin={user?.role === "ADMIN"} />
                <nav className="account-nav" aria-label="Account">
                  {user ? (
                    <>
                      <span className="account-name" title={user.email}>
                        <span className="visually-hidden">Signed in as </span>
                        {user.name}
                      </span>
                      <SignOutButton />
                    </>
                  ) : (
                    <>
                      <Link href="/sign-in" prefetch={false}>
                        Sign in
                      </Link>
                      <Link href="/sign-up" className="button button-small" prefetch={false}>
                        Sign up
                      </Link>
                    </>
                  )}
                </nav>
              </SiteMenu>
            </div>
          </header>
          <main id="main" tabIndex={-1}>
            <div className="container">{children}</div>
          </main>
          <footer className="site-footer">
            <div className="container">
              <p>© {new Date().getFullYear()} Onsale · Fair tickets for live music.</p>
              <p>Prices include the seat price; booking fees are shown before you pay.</p>
              <p>
                <Link href="/api-docs" prefetch={false}>
                  API for developers
                </Link>
              </p>
            </div>
          </footer>
        </Providers>
      </body>
    </html>
  );
}
