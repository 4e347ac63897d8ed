-- onsale:manual
-- The hold claim without its test knob: a negative control now lines racers up by holding the seats'
-- row locks itself (holds.int.test.ts), so production's function carries no sleep.
DROP FUNCTION onsale_claim_hold(text, text, text, int[], timestamp(3), int, text, text, boolean, int);
CREATE FUNCTION onsale_claim_hold(
  p_hold_id text, p_showtime_id text, p_user_id text, p_seat_ids int[], p_held_until timestamp(3),
  p_limit int, p_client text, p_ip text, p_user_lock boolean
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
