-- The ledger is append-only: a trigger on "LedgerEntry" refuses every UPDATE and DELETE, so a balance
-- can always be explained by its entries (wallet.ts `postLedgerEntry` only ever inserts).
--
-- This file is the function's home; prisma/migrations.int.test.ts checks that the migrated database's
-- function is exactly this one.
CREATE FUNCTION onsale_ledger_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'the ledger is append-only: % refused', TG_OP;
END
$$;
