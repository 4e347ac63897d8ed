import type { Metadata } from "next";
import { redirect } from "next/navigation";
import { getSession } from "@/server/auth";
import { afterAuthPath, safeCallbackPath } from "../_components/callback-url";
import { SignInForm } from "./sign-in-form";

export const metadata: Metadata = { title: "Sign in" };

type Props = { searchParams: Promise<Record<string, string | string[] | undefined>> };

export default async function SignInPage({ searchParams }: Props) {
  const sp = await searchParams;
  const callbackUrl = afterAuthPath(safeCallbackPath(sp.callbackUrl));
  if (await getSession()) redirect(callbackUrl);
  // next-auth sends people here with ?error=… when a sign-in it handled itself failed.
  const error = typeof sp.error === "string" ? sp.error : undefined;
  return <SignInForm callbackUrl={callbackUrl} initialError={error} />;
}
