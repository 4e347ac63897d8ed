-- CreateIndex
CREATE INDEX "SandboxEvent_createdAt_idx" ON "SandboxEvent"("createdAt");
