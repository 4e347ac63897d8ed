// Prisma CLI config: the Wasm schema engine through the pg driver adapter (see ../shared/TOOLCHAIN.md).
import { defineConfig } from "prisma/config";
import { PrismaPg } from "@prisma/adapter-pg";
import pg from "pg";

// The adapter cannot decode PostgreSQL's catalog types `name` (oid 19) and `"char"` (oid 18), which the
// schema engine reads when it inspects the database (prisma/orm#27403). Their text form is plain text, so
// the CLI's connections report them as `text` (oid 25). Only the CLI uses this pool; the app never does.
const CATALOG_TEXT_OIDS = new Set([18, 19]);

type QueryResultLike = { fields?: { dataTypeID: number }[] };

function asText<T>(result: T): T {
  for (const field of (result as QueryResultLike)?.fields ?? []) {
    if (CATALOG_TEXT_OIDS.has(field.dataTypeID)) field.dataTypeID = 25;
  }
  return result;
}

class CatalogTextClient extends pg.Client {
  // `any` mirrors pg.Client's overloaded query signature (promise or callback form).
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  override query(...args: any[]): any {
    const last = args.length - 1;
    if (typeof args[last] === "function") {
      const callback = args[last] as (err: unknown, result: unknown) => void;
      args[last] = (err: unknown, result: unknown) => callback(err, err ? result : asText(result));
    }
    // eslint-disable-next-line @typescript-eslint/no-explicit-any
    const result = (super.query as any)(...args);
    return result && typeof result.then === "function" ? result.then(asText) : result;
  }
}

/**
 * The adapter runs a migration by splitting it at every `;`, which breaks a function body (`$$ … $$`) and
 * a `;` in a comment. PostgreSQL takes the whole script in one simple query (one implicit transaction),
 * so the CLI's adapter sends it that way.
 */
function wholeScripts(factory: PrismaPg, pool: pg.Pool): PrismaPg {
  const connect = factory.connect.bind(factory);
  factory.connect = async () => {
    const adapter = await connect();
    adapter.executeScript = async (script: string) => {
      try {
        await pool.query(script);
      } catch (error) {
        // The adapter's own mapping of pg errors, as its executeScript does.
        (adapter as unknown as { onError(e: unknown): never }).onError(error);
      }
    };
    return adapter;
  };
  return factory;
}

export default defineConfig({
  experimental: { adapter: true },
  engine: "js",
  schema: "prisma/schema.prisma",
  migrations: { path: "prisma/migrations" },
  adapter: async () => {
    const pool = new pg.Pool({
      connectionString: process.env.DATABASE_URL ?? "postgresql://postgres@127.0.0.1:5432/onsale",
      Client: CatalogTextClient,
      // The CLI exits as soon as its work is done instead of waiting out the idle connection.
      allowExitOnIdle: true,
    });
    return wholeScripts(new PrismaPg(pool), pool);
  },
});
