-- CreateEnum
CREATE TYPE "HoldStatus" AS ENUM ('ACTIVE', 'RELEASED', 'EXPIRED', 'CONVERTED');

-- CreateTable
CREATE TABLE "Hold" (
    "id" TEXT NOT NULL,
    "showtimeId" TEXT NOT NULL,
    "userId" TEXT NOT NULL,
    "status" "HoldStatus" NOT NULL DEFAULT 'ACTIVE',
    "heldUntil" TIMESTAMP(3) NOT NULL,
    "extended" BOOLEAN NOT NULL DEFAULT false,
    "seatCount" INTEGER NOT NULL,
    "client" TEXT NOT NULL,
    "ip" TEXT NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "Hold_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "Hold_showtimeId_userId_status_idx" ON "Hold"("showtimeId", "userId", "status");

-- CreateIndex
CREATE INDEX "Hold_status_heldUntil_idx" ON "Hold"("status", "heldUntil");

-- CreateIndex
CREATE INDEX "Hold_userId_createdAt_idx" ON "Hold"("userId", "createdAt");

-- CreateIndex
CREATE INDEX "Seat_holdId_idx" ON "Seat"("holdId");

-- AddForeignKey
ALTER TABLE "Seat" ADD CONSTRAINT "Seat_holdId_fkey" FOREIGN KEY ("holdId") REFERENCES "Hold"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Hold" ADD CONSTRAINT "Hold_showtimeId_fkey" FOREIGN KEY ("showtimeId") REFERENCES "Showtime"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Hold" ADD CONSTRAINT "Hold_userId_fkey" FOREIGN KEY ("userId") REFERENCES "User"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- onsale:manual
ALTER TABLE "Seat" ADD CONSTRAINT "Seat_held_has_hold_check" CHECK (status <> 'HELD' OR ("holdId" IS NOT NULL AND "heldUntil" IS NOT NULL));
ALTER TABLE "Hold" ADD CONSTRAINT "Hold_seatCount_check" CHECK ("seatCount" > 0);
