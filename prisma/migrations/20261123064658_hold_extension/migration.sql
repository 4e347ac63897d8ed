-- AlterTable
ALTER TABLE "Showtime" ADD COLUMN     "holdExtendSeconds" INTEGER NOT NULL DEFAULT 120;

-- onsale:manual
ALTER TABLE "Showtime" ADD CONSTRAINT "Showtime_hold_times_check" CHECK ("holdSeconds" > 0 AND "holdExtendSeconds" >= 0);
