"use client";
import { useRouter } from "next/navigation";
import { signOut } from "next-auth/react";
import { useState } from "react";

export function SignOutButton() {
  const router = useRouter();
  const [pending, setPending] = useState(false);
  return (
    <button
      type="button"
      className="link-button"
      disabled={pending}
      onClick={async () => {
        setPending(true);
        await signOut({ redirect: false });
        // The header is rendered on the server from the session cookie; re-render it without the user.
        router.push("/");
        router.refresh();
        setPending(false);
      }}
    >
      {pending ? "Signing out…" : "Sign out"}
    </button>
  );
}
