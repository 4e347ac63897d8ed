-- Search matches concert titles, artists and venue names with ILIKE, which trigram indexes serve.
-- onsale:manual
CREATE EXTENSION IF NOT EXISTS pg_trgm;
CREATE INDEX "Concert_title_trgm_idx" ON "Concert" USING gin ("title" gin_trgm_ops);
CREATE INDEX "Concert_artist_trgm_idx" ON "Concert" USING gin ("artist" gin_trgm_ops);
CREATE INDEX "Venue_name_trgm_idx" ON "Venue" USING gin ("name" gin_trgm_ops);
