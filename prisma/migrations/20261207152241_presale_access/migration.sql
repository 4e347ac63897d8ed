-- AlterTable
ALTER TABLE "Showtime" ADD COLUMN     "presaleFor" TEXT,
ADD COLUMN     "presaleLimit" INTEGER;

-- CreateTable
CREATE TABLE "PresaleCode" (
    "id" TEXT NOT NULL,
    "showtimeId" TEXT NOT NULL,
    "code" TEXT NOT NULL,
    "label" TEXT NOT NULL,
    "maxUses" INTEGER NOT NULL,
    "uses" INTEGER NOT NULL DEFAULT 0,
    "revokedAt" TIMESTAMP(3),
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "PresaleCode_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "PresaleRedemption" (
    "showtimeId" TEXT NOT NULL,
    "userId" TEXT NOT NULL,
    "codeId" TEXT NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "PresaleRedemption_pkey" PRIMARY KEY ("showtimeId","userId")
);

-- CreateTable
CREATE TABLE "PresaleListEntry" (
    "showtimeId" TEXT NOT NULL,
    "email" TEXT NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "PresaleListEntry_pkey" PRIMARY KEY ("showtimeId","email")
);

-- CreateIndex
CREATE UNIQUE INDEX "PresaleCode_showtimeId_code_key" ON "PresaleCode"("showtimeId", "code");

-- CreateIndex
CREATE INDEX "PresaleRedemption_codeId_idx" ON "PresaleRedemption"("codeId");

-- AddForeignKey
ALTER TABLE "PresaleCode" ADD CONSTRAINT "PresaleCode_showtimeId_fkey" FOREIGN KEY ("showtimeId") REFERENCES "Showtime"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "PresaleRedemption" ADD CONSTRAINT "PresaleRedemption_showtimeId_fkey" FOREIGN KEY ("showtimeId") REFERENCES "Showtime"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "PresaleRedemption" ADD CONSTRAINT "PresaleRedemption_userId_fkey" FOREIGN KEY ("userId") REFERENCES "User"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "PresaleRedemption" ADD CONSTRAINT "PresaleRedemption_codeId_fkey" FOREIGN KEY ("codeId") REFERENCES "PresaleCode"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "PresaleListEntry" ADD CONSTRAINT "PresaleListEntry_showtimeId_fkey" FOREIGN KEY ("showtimeId") REFERENCES "Showtime"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- onsale:manual
-- A code is never used more often than it allows: the redemption's conditional update is the guard, this the
-- last resort.
ALTER TABLE "PresaleCode" ADD CONSTRAINT "PresaleCode_uses_check" CHECK ("maxUses" >= 1 AND "uses" >= 0 AND "uses" <= "maxUses");
ALTER TABLE "PresaleCode" ADD CONSTRAINT "PresaleCode_code_check" CHECK ("code" ~ '^[A-Z0-9-]{4,40}$');
ALTER TABLE "Showtime" ADD CONSTRAINT "Showtime_presale_limit_check" CHECK ("presaleLimit" IS NULL OR "presaleLimit" >= 1);
