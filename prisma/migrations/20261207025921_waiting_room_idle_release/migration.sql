-- AlterTable
ALTER TABLE "Showtime" ADD COLUMN     "wrIdleSeconds" INTEGER NOT NULL DEFAULT 60;

-- onsale:manual
ALTER TABLE "Showtime" ADD CONSTRAINT "Showtime_wr_idle_check" CHECK ("wrIdleSeconds" = 0 OR "wrIdleSeconds" BETWEEN 15 AND 3600);
