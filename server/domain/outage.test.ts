// `outageOf` against the errors a terminated PostgreSQL backend really produces, as
// captured from Prisma 6.19 with the pg adapter in test/faults/pg-terminate.int.test.ts: a $queryRaw
// (the hold claim, the checkout, the refund's raw statements) fails with P2010 and the SQLSTATE under
// meta.driverAdapterError; a model query (the refund's seat.updateMany) rejects with the bare
// DriverAdapterError, the SQLSTATE in its cause. Both must read as "database"; other SQL errors must not.
import { DriverAdapterError } from "@prisma/driver-adapter-utils";
import { describe, expect, it } from "vitest";
import { Prisma } from "../generated/prisma/client.ts";
import { outageOf, unavailableError } from "./errors.ts";

const TERMINATED = "terminating connection due to administrator command";

/** The adapter's error for a PostgreSQL error response, as `convertDriverError` builds it. */
function driverError(sqlState: string, message: string) {
  return new DriverAdapterError({
    originalCode: sqlState,
    originalMessage: message,
    kind: "postgres",
    code: sqlState,
    severity: "FATAL",
    message,
    detail: undefined,
    column: undefined,
    hint: undefined,
  });
}

/** What `prisma.$queryRaw` rejects with when the statement fails in the database. */
function rawQueryError(sqlState: string, message: string) {
  return new Prisma.PrismaClientKnownRequestError(
    `\nInvalid \`prisma.$queryRaw()\` invocation:\n\n\nRaw query failed. Code: \`${sqlState}\`. Message: \`${message}\``,
    { code: "P2010", clientVersion: "6.19.3", meta: { driverAdapterError: driverError(sqlState, message) } },
  );
}

describe("outageOf with a terminated PostgreSQL backend", () => {
  it("reads a raw query's P2010 with SQLSTATE 57P01 as a database outage", () => {
    const err = rawQueryError("57P01", TERMINATED);
    expect(err.name).toBe("PrismaClientKnownRequestError");
    expect(outageOf(err)).toBe("database");
    const mapped = unavailableError(err);
    expect(mapped).toMatchObject({ code: "UNAVAILABLE", status: 503, details: { reason: "database" } });
    // The fan reads what happened and that nothing changed, not the driver's words.
    expect(mapped!.message).toMatch(/nothing was changed/);
    expect(mapped!.message).not.toMatch(/57P01|administrator|prisma/i);
  });

  it("reads a model query's bare DriverAdapterError with SQLSTATE 57P01 as a database outage", () => {
    const err = driverError("57P01", TERMINATED);
    expect(err.name).toBe("DriverAdapterError");
    expect(outageOf(err)).toBe("database");
  });

  it("reads a server shutting down, in recovery or unreachable the same way", () => {
    for (const [state, message] of [
      ["57P02", "terminating connection due to crash of another server process"],
      ["57P03", "the database system is starting up"],
      ["08006", "connection failure"],
    ]) {
      expect(outageOf(rawQueryError(state!, message!)), state).toBe("database");
      expect(outageOf(driverError(state!, message!)), state).toBe("database");
    }
  });

  it("leaves other database errors alone: a conflict or a bad statement is not an outage", () => {
    for (const [state, message] of [
      ["23505", "duplicate key value violates unique constraint"],
      ["23514", 'new row for relation "Wallet" violates check constraint'],
      ["42P01", 'relation "Nope" does not exist'],
    ]) {
      expect(outageOf(rawQueryError(state!, message!)), state).toBeUndefined();
      expect(outageOf(driverError(state!, message!)), state).toBeUndefined();
    }
  });

  it("reads node-postgres's refusal to use a client whose connection broke inside a transaction (seen in npm run chaos)", () => {
    // pg/lib/client.js, raised by the next statement or the COMMIT of an interactive transaction after
    // its backend was terminated; the chaos run saw it on wallet.topUp as a 500 before this pattern.
    const err = new Error("Client has encountered a connection error and is not queryable");
    expect(outageOf(err)).toBe("database");
    expect(outageOf(new Error("wrapped", { cause: err }))).toBe("database");
  });
});
