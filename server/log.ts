// Structured JSON logs. Child loggers carry the request id.
import { pino, type Logger } from "pino";
import { env } from "./env.ts";

const globalForLog = globalThis as unknown as { onsaleLog?: Logger };

export const log: Logger = (globalForLog.onsaleLog ??= pino({
  level: env().LOG_LEVEL,
  base: { service: process.env.ONSALE_SERVICE ?? "web" },
  redact: ["password", "*.password", "passwordHash", "*.passwordHash", "headers.cookie", "headers.authorization"],
}));
