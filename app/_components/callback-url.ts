// Where to go after signing in: only paths on this site, so a crafted link cannot send people elsewhere.

export function safeCallbackPath(value: string | string[] | undefined, origin?: string): string {
  const raw = Array.isArray(value) ? value[0] : value;
  if (!raw) return "/";
  if (raw.startsWith("/") && !raw.startsWith("//") && !raw.startsWith("/\\")) return raw;
  if (origin) {
    try {
      const url = new URL(raw);
      if (url.origin === origin) return `${url.pathname}${url.search}${url.hash}` || "/";
    } catch {
      // Not a URL at all: fall through to home.
    }
  }
  return "/";
}

/** Auth pages themselves are never a destination (signing in to land on the sign-in form again). */
export function afterAuthPath(path: string): string {
  return /^\/sign-(in|up)(\/|\?|$)/.test(path) ? "/" : path;
}
