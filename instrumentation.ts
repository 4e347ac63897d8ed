// Runs once when the Next.js server starts: a bad environment stops it with a clear message.
export async function register() {
  if (process.env.NEXT_RUNTIME === "nodejs") {
    const { env } = await import("./server/env");
    try {
      env();
    } catch (err) {
      // Thrown from here, `next start` only logs "Failed to prepare server" and keeps answering 500s (seen with
      // the public development secret in production): a server that must not serve exits instead.
      console.error(err instanceof Error ? err.message : err);
      process.exit(1);
    }
  }
}
