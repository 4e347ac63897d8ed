-- Checkout (DESIGN.md, Checkout) in one transaction, called by checkout.ts `checkoutHold`: the hold
-- locked and checked, its seats locked and priced, the wallet locked and checked, then the order, the
-- debit and its ledger entry, the payment, one ticket per seat, seats SOLD and the hold CONVERTED. Every
-- refusal returns before the first write. p_codes carries the tickets' random QR codes (at least one per
-- seat).
--
-- This file is the function's home; a migration that changes it copies it (DROP, then this CREATE), and
-- prisma/migrations.int.test.ts checks that the migrated database's function is exactly this one.
CREATE FUNCTION onsale_checkout(
  p_hold_id text, p_user_id text, p_showtime_id text, p_idempotency_key text, p_order_id text,
  p_codes text[], p_now timestamp(3)
) RETURNS TABLE (
  outcome text, seat_ids int[], subtotal_minor int, fees_minor int, total_minor int, currency text,
  balance_minor int, balance_after_minor int
)
LANGUAGE plpgsql VOLATILE AS $$
#variable_conflict use_column
DECLARE
  h record;
  v_ids int[];
  v_prices int[];
  v_fees int[];
  v_currency "Currency";
  v_sub int;
  v_fee int;
  v_total int;
  v_wallet text;
  v_balance int;
  v_ledger text := gen_random_uuid()::text;
BEGIN
  SELECT "userId", "showtimeId", status::text AS status, "heldUntil", "seatCount" INTO h
  FROM "Hold" WHERE id = p_hold_id FOR UPDATE;
  IF NOT FOUND OR h."userId" <> p_user_id OR h."showtimeId" <> p_showtime_id THEN
    RETURN QUERY SELECT 'NOT_FOUND'::text, NULL::int[], 0, 0, 0, NULL::text, 0, 0;
    RETURN;
  END IF;
  IF h.status = 'CONVERTED' THEN
    RETURN QUERY SELECT 'CONVERTED'::text, NULL::int[], 0, 0, 0, NULL::text, 0, 0;
    RETURN;
  END IF;
  IF h.status <> 'ACTIVE' OR h."heldUntil" <= p_now THEN
    RETURN QUERY SELECT 'HOLD_EXPIRED'::text, NULL::int[], 0, 0, 0, NULL::text, 0, 0;
    RETURN;
  END IF;

  SELECT array_agg(s.id ORDER BY s.id), array_agg(t."priceMinor" ORDER BY s.id), array_agg(t."feeMinor" ORDER BY s.id),
         (array_agg(t.currency))[1]
    INTO v_ids, v_prices, v_fees, v_currency
  FROM (SELECT id, "priceTierId" FROM "Seat"
        WHERE "holdId" = p_hold_id AND status = 'HELD' AND "heldUntil" > p_now
        ORDER BY id FOR UPDATE) s
  JOIN "PriceTier" t ON t.id = s."priceTierId";
  IF coalesce(cardinality(v_ids), 0) <> h."seatCount" THEN
    RETURN QUERY SELECT 'HOLD_EXPIRED'::text, NULL::int[], 0, 0, 0, NULL::text, 0, 0;
    RETURN;
  END IF;
  IF cardinality(p_codes) < cardinality(v_ids) THEN
    RAISE EXCEPTION 'onsale_checkout: % ticket codes for % seats', cardinality(p_codes), cardinality(v_ids);
  END IF;
  SELECT sum(x)::int INTO v_sub FROM unnest(v_prices) x;
  SELECT sum(x)::int INTO v_fee FROM unnest(v_fees) x;
  v_total := v_sub + v_fee;

  SELECT id, "balanceMinor" INTO v_wallet, v_balance FROM "Wallet"
  WHERE "userId" = p_user_id AND currency = v_currency FOR UPDATE;
  v_balance := coalesce(v_balance, 0);
  IF v_wallet IS NULL OR v_balance < v_total THEN
    RETURN QUERY SELECT 'INSUFFICIENT_FUNDS'::text, NULL::int[], v_sub, v_fee, v_total, v_currency::text, v_balance, 0;
    RETURN;
  END IF;

  BEGIN
    INSERT INTO "Order" (id, "userId", "showtimeId", "holdId", "subtotalMinor", "feesMinor", "totalMinor", currency, "idempotencyKey")
    VALUES (p_order_id, p_user_id, h."showtimeId", p_hold_id, v_sub, v_fee, v_total, v_currency, p_idempotency_key);
  EXCEPTION WHEN unique_violation THEN
    -- The same key committed by a parallel payment of another hold of this fan.
    RETURN QUERY SELECT 'DUPLICATE_KEY'::text, NULL::int[], 0, 0, 0, NULL::text, 0, 0;
    RETURN;
  END;
  UPDATE "Wallet" SET "balanceMinor" = "balanceMinor" - v_total, "updatedAt" = now() WHERE id = v_wallet
    RETURNING "balanceMinor" INTO v_balance;
  INSERT INTO "LedgerEntry" (id, "walletId", "userId", type, "amountMinor", "balanceAfterMinor", currency, "orderId")
  VALUES (v_ledger, v_wallet, p_user_id, 'PAYMENT', -v_total, v_balance, v_currency, p_order_id);
  INSERT INTO "Payment" (id, "orderId", "userId", "amountMinor", currency, "ledgerEntryId")
  VALUES (gen_random_uuid()::text, p_order_id, p_user_id, v_total, v_currency, v_ledger);
  INSERT INTO "Ticket" (id, "orderId", "seatId", "ownerId", code, "priceMinor", "feeMinor", currency, "updatedAt")
  SELECT gen_random_uuid()::text, p_order_id, u.seat, p_user_id, p_codes[u.n], u.price, u.fee, v_currency, now()
  FROM unnest(v_ids, v_prices, v_fees) WITH ORDINALITY AS u(seat, price, fee, n);
  UPDATE "Seat" SET status = 'SOLD', "heldUntil" = NULL, "updatedAt" = now() WHERE id = ANY(v_ids);
  UPDATE "Hold" SET status = 'CONVERTED', "updatedAt" = now() WHERE id = p_hold_id;
  RETURN QUERY SELECT 'OK'::text, v_ids, v_sub, v_fee, v_total, v_currency::text, v_balance + v_total, v_balance;
END
$$;
