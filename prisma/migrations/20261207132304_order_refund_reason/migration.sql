-- AlterTable
ALTER TABLE "Order" ADD COLUMN     "refundReason" TEXT;

-- onsale:manual
ALTER TABLE "Order" ADD CONSTRAINT "Order_refund_reason_check" CHECK ("refundReason" IS NULL OR char_length("refundReason") BETWEEN 3 AND 500);
