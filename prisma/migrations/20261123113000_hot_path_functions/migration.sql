-- Hot paths as one round trip each: the hold claim and the checkout run as functions, so a
-- request holds a pooled connection for one statement instead of an interactive transaction's turns.

-- onsale:manual
-- The one statement that decides availability (DESIGN.md, Inventory), with the per-user limit under the
-- per-user-per-showtime advisory lock. Runs on its own (autocommit) or inside a caller's transaction.
-- Every statement here takes a fresh snapshot (READ COMMITTED, VOLATILE), so the count after the lock
-- sees the fan's last committed hold. Nothing is written unless every seat can be claimed.
CREATE FUNCTION onsale_claim_hold(
  p_hold_id text, p_showtime_id text, p_user_id text, p_seat_ids int[], p_held_until timestamp(3),
  p_limit int, p_client text, p_ip text, p_user_lock boolean, p_claim_delay_ms int
) RETURNS TABLE (outcome text, already int, missing int[])
LANGUAGE plpgsql VOLATILE AS $$
#variable_conflict use_column
DECLARE
  v_already int;
  v_free int[];
BEGIN
  IF p_user_lock THEN
    PERFORM pg_advisory_xact_lock(hashtextextended('hold:' || p_user_id || ':' || p_showtime_id, 0));
  END IF;
  -- Seats of the fan's live holds (a live hold keeps all its seats: none can be taken before its
  -- heldUntil, and extension moves hold and seats together), found through the fan's own holds and
  -- tickets, so the count costs the same whatever else is held in the showtime.
  SELECT (SELECT coalesce(sum(h."seatCount"), 0) FROM "Hold" h
           WHERE h."showtimeId" = p_showtime_id AND h."userId" = p_user_id
             AND h.status = 'ACTIVE' AND h."heldUntil" > now())
       + (SELECT count(*) FROM "Ticket" t JOIN "Seat" s ON s.id = t."seatId"
           WHERE t."ownerId" = p_user_id AND t.status = 'VALID' AND s."showtimeId" = p_showtime_id)
    INTO v_already;
  -- Test-only (a negative control lines racers up between the count and the write); always 0 in production.
  IF p_claim_delay_ms > 0 THEN
    PERFORM pg_sleep(p_claim_delay_ms / 1000.0);
  END IF;
  IF v_already + cardinality(p_seat_ids) > p_limit THEN
    RETURN QUERY SELECT 'LIMIT_EXCEEDED'::text, v_already, NULL::int[];
    RETURN;
  END IF;
  -- Lock the claimable seats in id order (a racer's committed claim is re-checked after the wait).
  SELECT coalesce(array_agg(f.id), '{}') INTO v_free FROM (
    SELECT id FROM "Seat"
    WHERE "showtimeId" = p_showtime_id AND id = ANY(p_seat_ids)
      AND (status = 'AVAILABLE' OR (status = 'HELD' AND "heldUntil" <= now()))
    ORDER BY id FOR UPDATE
  ) f;
  IF cardinality(v_free) < cardinality(p_seat_ids) THEN
    RETURN QUERY SELECT 'SEATS_UNAVAILABLE'::text, v_already,
      ARRAY(SELECT x FROM unnest(p_seat_ids) x WHERE x <> ALL(v_free) ORDER BY x);
    RETURN;
  END IF;
  INSERT INTO "Hold" (id, "showtimeId", "userId", "heldUntil", "seatCount", "seatIds", client, ip, "updatedAt")
  VALUES (p_hold_id, p_showtime_id, p_user_id, p_held_until, cardinality(p_seat_ids), p_seat_ids, p_client, p_ip, now());
  UPDATE "Seat" SET status = 'HELD', "holdId" = p_hold_id, "heldUntil" = p_held_until, "updatedAt" = now()
  WHERE id = ANY(v_free);
  RETURN QUERY SELECT 'OK'::text, v_already, NULL::int[];
END
$$;

-- Checkout (DESIGN.md, Checkout) in one transaction: the hold locked and checked, its seats locked and
-- priced, the wallet locked and checked, then the order, the debit and its ledger entry, the payment,
-- one ticket per seat, seats SOLD and the hold CONVERTED. Every refusal returns before the first write.
-- p_codes carries the tickets' random QR codes (at least one per seat).
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
