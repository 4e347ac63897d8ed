// Two projects: `unit` (fast, no services) and `int` (real PostgreSQL and Redis; run via scripts/test.ts,
// which provides DATABASE_URL, REDIS_URL and REDIS_PREFIX for a throwaway database and key prefix, and
// refused by test/support/int-guard.ts without them).
import { fileURLToPath } from "node:url";
import { defineConfig } from "vitest/config";

const root = fileURLToPath(new URL(".", import.meta.url));

export default defineConfig({
  resolve: {
    alias: [
      { find: /^@\//, replacement: root },
      // `server-only` throws outside React Server Components; in tests it is just a marker.
      { find: /^server-only$/, replacement: `${root}node_modules/server-only/empty.js` },
    ],
  },
  test: {
    environment: "node",
    projects: [
      {
        extends: true,
        test: {
          name: "unit",
          include: ["**/*.test.ts"],
          exclude: ["**/*.int.test.ts", "**/node_modules/**", "**/.next/**", "e2e/**", ".data/**"],
          // Nothing listens here: a unit test that reached for a database or Redis fails at once instead
          // of using the development ones.
          env: {
            DATABASE_URL: "postgresql://unit-tests-use-no-database@127.0.0.1:1/none",
            REDIS_URL: "redis://127.0.0.1:1",
            REDIS_PREFIX: "unit-tests-use-no-redis",
          },
        },
      },
      {
        extends: true,
        test: {
          name: "int",
          include: ["**/*.int.test.ts"],
          exclude: ["**/node_modules/**", "**/.next/**", "e2e/**", ".data/**"],
          globalSetup: ["test/support/int-guard.ts"],
          // Files share one database, so they run one after another; tests inside a file may still use
          // `describe.concurrent`/`it.concurrent`.
          fileParallelism: false,
          testTimeout: 60_000,
          hookTimeout: 180_000,
        },
      },
    ],
  },
});
