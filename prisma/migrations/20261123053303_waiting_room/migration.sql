-- AlterTable
ALTER TABLE "Showtime" ADD COLUMN     "wrAccessSeconds" INTEGER NOT NULL DEFAULT 900,
ADD COLUMN     "wrBatchSize" INTEGER NOT NULL DEFAULT 100,
ADD COLUMN     "wrEnabled" BOOLEAN NOT NULL DEFAULT true,
ADD COLUMN     "wrIntervalMs" INTEGER NOT NULL DEFAULT 5000,
ADD COLUMN     "wrMaxActive" INTEGER NOT NULL DEFAULT 1000,
ADD COLUMN     "wrMaxQueue" INTEGER NOT NULL DEFAULT 500000,
ADD COLUMN     "wrPaused" BOOLEAN NOT NULL DEFAULT false,
ADD COLUMN     "wrPrequeueMinutes" INTEGER NOT NULL DEFAULT 60,
ADD COLUMN     "wrSeed" TEXT,
ADD COLUMN     "wrStockFactor" DOUBLE PRECISION NOT NULL DEFAULT 1.5;

-- onsale:manual
ALTER TABLE "Showtime" ADD CONSTRAINT "Showtime_wr_settings_check" CHECK (
  "wrBatchSize" > 0 AND "wrIntervalMs" >= 200 AND "wrMaxActive" > 0 AND "wrAccessSeconds" > 0
  AND "wrMaxQueue" > 0 AND "wrStockFactor" > 0 AND "wrPrequeueMinutes" >= 0
);
