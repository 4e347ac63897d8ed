import type { Metadata } from "next";
import { redirect } from "next/navigation";
import { getSession } from "@/server/auth";
import { afterAuthPath, safeCallbackPath } from "../_components/callback-url";
import { SignUpForm } from "./sign-up-form";

export const metadata: Metadata = { title: "Create an account" };

type Props = { searchParams: Promise<Record<string, string | string[] | undefined>> };

export default async function SignUpPage({ searchParams }: Props) {
  const callbackUrl = afterAuthPath(safeCallbackPath((await searchParams).callbackUrl));
  if (await getSession()) redirect(callbackUrl);
  return <SignUpForm callbackUrl={callbackUrl} />;
}
