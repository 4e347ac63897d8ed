import { describe, expect, it } from "vitest";
import { judgeRedisSettings } from "./redis-settings.ts";

describe("judgeRedisSettings", () => {
  it("accepts noeviction with persistence, and says nothing", () => {
    expect(judgeRedisSettings({ maxmemoryPolicy: "noeviction", appendonly: "yes", save: "" })).toEqual({ problems: [], warnings: [] });
    expect(judgeRedisSettings({ maxmemoryPolicy: "noeviction", appendonly: "no", save: "3600 1" })).toEqual({ problems: [], warnings: [] });
  });

  it("refuses an evicting policy, naming the fix", () => {
    const { problems } = judgeRedisSettings({ maxmemoryPolicy: "allkeys-lru", appendonly: "yes", save: "" });
    expect(problems).toEqual([expect.stringMatching(/maxmemory-policy is allkeys-lru.*Set it to noeviction/)]);
  });

  it("warns when persistence is off or the settings cannot be read", () => {
    expect(judgeRedisSettings({ maxmemoryPolicy: "noeviction", appendonly: "no", save: "" }).warnings).toEqual([
      expect.stringMatching(/persistence is off/),
    ]);
    const unreadable = judgeRedisSettings({});
    expect(unreadable.problems).toEqual([]);
    expect(unreadable.warnings).toHaveLength(2);
  });
});
