-- Typo-tolerant search (word_similarity in server/domain/catalog/concerts.ts).

-- onsale:manual
CREATE EXTENSION IF NOT EXISTS pg_trgm;
