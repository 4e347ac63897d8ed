-- AlterTable
ALTER TABLE "Showtime" ADD COLUMN     "wrPauseNote" TEXT;

-- onsale:manual
ALTER TABLE "Showtime" ADD CONSTRAINT "Showtime_wr_pause_note_check" CHECK ("wrPauseNote" IS NULL OR char_length("wrPauseNote") BETWEEN 1 AND 280);
