// A part of "My tickets" that could not be read: sign in again when the session ended, else try again.
import Link from "next/link";
import { appErrorOf } from "../_components/app-error";
import { RetryButton } from "../_components/load-error";

type Props = { what: string; error: unknown; retrying: boolean; onRetry: () => void };

export function SectionError({ what, error, retrying, onRetry }: Props) {
  const signedOut = appErrorOf(error).code === "UNAUTHENTICATED";
  return (
    <div className="empty-state" role="alert">
      <h3>We couldn’t load your {what}</h3>
      {signedOut ? (
        <>
          <p>Your session has ended.</p>
          <p>
            <Link href={`/sign-in?callbackUrl=${encodeURIComponent("/tickets")}`} className="button">
              Sign in again
            </Link>
          </p>
        </>
      ) : (
        <>
          <p>Something went wrong on our side, or the connection dropped. Please try again.</p>
          <p>
            <RetryButton retrying={retrying} onRetry={onRetry} />
          </p>
        </>
      )}
    </div>
  );
}
