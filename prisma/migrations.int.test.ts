// Fails when prisma/schema.prisma and prisma/migrations disagree. Database A is built the way every
// environment is (`prisma migrate deploy`); database B straight from schema.prisma (Prisma's --from-empty
// script) plus each migration's hand-written `-- onsale:manual` part. Both are described from the
// catalogs rather than with pg_dump, whose version must match the server's (the embedded one is 18).
import fs from "node:fs";
import path from "node:path";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { deployMigrations, diffSchemas, listMigrations, manualSql, schemaPath, snapshotPath } from "../scripts/db.ts";
import { repoRoot } from "../scripts/proc.ts";
import { createDatabase, databaseName, dropDatabase, withDatabase } from "../scripts/services.ts";

const baseUrl = process.env.DATABASE_URL;
if (!baseUrl) throw new Error("DATABASE_URL is not set: run this through `npm run test:int`");

const urlA = withDatabase(baseUrl, `${databaseName(baseUrl)}_mig_a`);
const urlB = withDatabase(baseUrl, `${databaseName(baseUrl)}_mig_b`);

type SchemaDescription = Record<string, string[]>;

// Sorted lines per kind, so that column order (ADD COLUMN appends) and object order never matter.
const CATALOG_QUERIES: Record<string, string> = {
  relations: `
    select c.relkind::text || ' ' || c.relname as line
    from pg_class c join pg_namespace n on n.oid = c.relnamespace
    where n.nspname = 'public' and c.relkind in ('r', 'p', 'v', 'm', 'S', 'f') and c.relname not like '\\_prisma%'`,
  columns: `
    select c.relname || '.' || a.attname || ' ' || format_type(a.atttypid, a.atttypmod)
      || case when a.attnotnull then ' not null' else '' end
      || coalesce(' default ' || pg_get_expr(d.adbin, d.adrelid), '')
      || case when a.attidentity <> '' then ' identity ' || a.attidentity::text else '' end
      || case when a.attgenerated <> '' then ' generated ' || a.attgenerated::text else '' end as line
    from pg_attribute a
      join pg_class c on c.oid = a.attrelid
      join pg_namespace n on n.oid = c.relnamespace
      left join pg_attrdef d on d.adrelid = a.attrelid and d.adnum = a.attnum
    where n.nspname = 'public' and c.relkind in ('r', 'p', 'v', 'm', 'f') and a.attnum > 0
      and not a.attisdropped and c.relname not like '\\_prisma%'`,
  // contype 'n' (PostgreSQL 18's named NOT NULL constraints) is left out: nullability is in `columns`,
  // and their names keep a column's old name after a rename.
  constraints: `
    select c.relname || ' ' || con.conname || ' ' || pg_get_constraintdef(con.oid) as line
    from pg_constraint con
      join pg_class c on c.oid = con.conrelid
      join pg_namespace n on n.oid = con.connamespace
    where n.nspname = 'public' and con.contype::text <> 'n' and c.relname not like '\\_prisma%'`,
  indexes: `
    select indexdef as line from pg_indexes
    where schemaname = 'public' and tablename not like '\\_prisma%'`,
  // Labels are compared as a set: Prisma appends new values (ADD VALUE) where a fresh CREATE TYPE lists
  // them in schema order, and nothing in the app relies on enum sort order.
  enums: `
    select t.typname || ': ' || string_agg(e.enumlabel, ', ' order by e.enumlabel) as line
    from pg_type t
      join pg_enum e on e.enumtypid = t.oid
      join pg_namespace n on n.oid = t.typnamespace
    where n.nspname = 'public'
    group by t.typname`,
  extensions: `select extname as line from pg_extension where extname <> 'plpgsql'`,
  views: `select viewname || ': ' || definition as line from pg_views where schemaname = 'public'`,
  triggers: `
    select pg_get_triggerdef(t.oid) as line
    from pg_trigger t join pg_class c on c.oid = t.tgrelid join pg_namespace n on n.oid = c.relnamespace
    where n.nspname = 'public' and not t.tgisinternal`,
  functions: `
    select p.proname || '(' || pg_get_function_identity_arguments(p.oid) || ') ' || md5(p.prosrc) as line
    from pg_proc p join pg_namespace n on n.oid = p.pronamespace
    where n.nspname = 'public'`,
};

/** The SQL functions' homes: one `.sql` file each, beside the domain code that calls it. */
function functionHomes(): { file: string; sql: string }[] {
  const root = path.join(repoRoot, "server", "domain");
  return (fs.readdirSync(root, { recursive: true }) as string[])
    .filter((f) => f.endsWith(".sql"))
    .sort()
    .map((f) => ({ file: path.join("server/domain", f), sql: fs.readFileSync(path.join(root, f), "utf8") }));
}

/** Each `onsale_*` function of a schema: its arguments, result and body. */
async function functionsIn(client: pg.Client, schema: string): Promise<Record<string, string>> {
  const { rows } = await client.query<{ name: string; definition: string }>(
    `select p.proname || '(' || pg_get_function_identity_arguments(p.oid) || ')' as name,
            pg_get_function_result(p.oid) || E'\n' || p.prosrc as definition
     from pg_proc p join pg_namespace n on n.oid = p.pronamespace
     where n.nspname = $1 and p.proname like 'onsale\\_%'`,
    [schema],
  );
  return Object.fromEntries(rows.map((r) => [r.name, r.definition]));
}

async function withClient<T>(url: string, fn: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end();
  }
}

async function describeSchema(url: string): Promise<SchemaDescription> {
  return withClient(url, async (client) => {
    const description: SchemaDescription = {};
    for (const [kind, sql] of Object.entries(CATALOG_QUERIES)) {
      const { rows } = await client.query<{ line: string }>(sql);
      description[kind] = rows.map((row) => row.line).sort();
    }
    return description;
  });
}

async function buildFromMigrations(): Promise<void> {
  await createDatabase(urlA);
  await deployMigrations(urlA, { quiet: true });
}

async function buildFromSchema(): Promise<void> {
  await createDatabase(urlB);
  const script = await diffSchemas("empty", schemaPath, urlB);
  const manual = listMigrations().map((m) => manualSql(fs.readFileSync(m.sql, "utf8")));
  await withClient(urlB, async (client) => {
    await client.query(script);
    for (const sql of manual) if (sql) await client.query(sql);
  });
}

describe("prisma/migrations", () => {
  let fromMigrations: SchemaDescription;
  let fromSchema: SchemaDescription;
  let pendingSinceSnapshot: string | undefined;
  const latest = listMigrations().at(-1);

  beforeAll(async () => {
    await Promise.all([dropDatabase(urlA), dropDatabase(urlB)]);
    // Each Prisma CLI call takes seconds; run them side by side.
    const snapshotDiff = async () => {
      if (fs.existsSync(snapshotPath)) {
        pendingSinceSnapshot = await diffSchemas(snapshotPath, schemaPath, baseUrl);
      }
    };
    await Promise.all([buildFromMigrations(), buildFromSchema(), snapshotDiff()]);
    [fromMigrations, fromSchema] = await Promise.all([describeSchema(urlA), describeSchema(urlB)]);
  });

  afterAll(async () => {
    await Promise.all([dropDatabase(urlA), dropDatabase(urlB)]);
  });

  it("build exactly the schema that prisma/schema.prisma describes", () => {
    expect(
      fromMigrations,
      "migrations and schema.prisma disagree: run `npm run db:migration -- <name>` (or fix the -- onsale:manual SQL)",
    ).toEqual(fromSchema);
  });

  it("describe a non-trivial schema (so an empty comparison cannot pass)", () => {
    const schema = fs.readFileSync(schemaPath, "utf8");
    const models = schema.match(/^model\s+\w+/gm) ?? [];
    const enums = schema.match(/^enum\s+\w+/gm) ?? [];
    expect(models.length).toBeGreaterThan(0);
    const tables = fromSchema.relations!.filter((line) => line.startsWith("r "));
    expect(tables.length).toBeGreaterThanOrEqual(models.length);
    expect(fromSchema.columns!.length).toBeGreaterThanOrEqual(2 * models.length);
    expect(fromSchema.constraints!.some((line) => line.includes("PRIMARY KEY"))).toBe(true);
    expect(fromSchema.indexes!.length).toBeGreaterThanOrEqual(models.length);
    expect(fromSchema.enums!.length).toBeGreaterThanOrEqual(enums.length);
  });

  it("keep the schema snapshot in step with prisma/schema.prisma, and no other copy of the schema", () => {
    // `npm run db:migration` diffs from this snapshot, so a stale one would produce a wrong migration.
    expect(latest, "prisma/migrations is empty").toBeDefined();
    expect(fs.existsSync(snapshotPath), "prisma/migrations/schema.snapshot.prisma is missing").toBe(true);
    expect(
      listMigrations()
        .flatMap((m) => fs.readdirSync(m.dir))
        .filter((f) => f !== "migration.sql"),
    ).toEqual([]);
    expect(pendingSinceSnapshot, "schema.prisma has changes no migration holds: run `npm run db:migration -- <name>`").toBe("");
  });

  it("leave every onsale_ function exactly as its home file beside the domain code writes it", async () => {
    const homes = functionHomes();
    expect(homes.map((h) => h.file)).toEqual(
      expect.arrayContaining(["server/domain/holds/claim-hold.sql", "server/domain/checkout/checkout.sql"]),
    );
    await withClient(urlA, async (client) => {
      // The homes are created in a schema of their own, in a transaction that is rolled back.
      await client.query("BEGIN");
      try {
        await client.query("CREATE SCHEMA onsale_homes");
        await client.query("SET LOCAL search_path TO onsale_homes, public");
        for (const home of homes) await client.query(home.sql);
        const [migrated, fromHomes] = [await functionsIn(client, "public"), await functionsIn(client, "onsale_homes")];
        expect(Object.keys(migrated).length).toBeGreaterThanOrEqual(3);
        expect(migrated, "a migration and a function's .sql home under server/domain disagree").toEqual(fromHomes);
      } finally {
        await client.query("ROLLBACK");
      }
    });
  });
});
