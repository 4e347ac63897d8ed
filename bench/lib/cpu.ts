// CPU time spent by the processes under test between two points, to show where a phase's time went.
import fs from "node:fs";
import type { RedisClient as Redis } from "../../server/redis.ts";

/** Linux reports utime/stime in clock ticks; USER_HZ is 100 on every mainstream kernel. */
const TICKS_PER_SECOND = 100;

/** User + system CPU ms of every process in a process group (0 where /proc is missing). */
export function groupCpuMs(pgid: number): number {
  let entries: string[];
  try {
    entries = fs.readdirSync("/proc").filter((e) => /^\d+$/.test(e));
  } catch {
    return 0;
  }
  let ticks = 0;
  for (const pid of entries) {
    let stat: string;
    try {
      stat = fs.readFileSync(`/proc/${pid}/stat`, "utf8");
    } catch {
      continue; // exited meanwhile
    }
    // Fields after the command name, which may itself contain spaces: state ppid pgrp … utime(14) stime(15).
    const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    if (Number(fields[2]) !== pgid) continue;
    ticks += Number(fields[11]) + Number(fields[12]);
  }
  return (ticks * 1000) / TICKS_PER_SECOND;
}

/**
 * User + system CPU ms of every process whose command name is `comm` (e.g. "postgres": the postmaster and
 * every backend, of every database and client on the machine, so a shared server counts everyone).
 */
export function commandCpuMs(comm: string): number {
  let entries: string[];
  try {
    entries = fs.readdirSync("/proc").filter((e) => /^\d+$/.test(e));
  } catch {
    return 0;
  }
  let ticks = 0;
  for (const pid of entries) {
    let stat: string;
    try {
      stat = fs.readFileSync(`/proc/${pid}/stat`, "utf8");
    } catch {
      continue;
    }
    if (stat.slice(stat.indexOf("(") + 1, stat.lastIndexOf(")")) !== comm) continue;
    const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    // Exited children's time (cutime/cstime, 16/17) is not added: backends are reaped by the postmaster,
    // whose cutime would then count every finished connection of the whole server's life.
    ticks += Number(fields[11]) + Number(fields[12]);
  }
  return (ticks * 1000) / TICKS_PER_SECOND;
}

/** CPU ms Redis has used in total (all clients, not only ours: a shared Redis counts everyone). */
export async function redisCpuMs(redis: Redis): Promise<number> {
  const info = await redis.info("cpu");
  const field = (name: string) => Number(new RegExp(`^${name}:([\\d.]+)`, "m").exec(info)?.[1] ?? 0);
  return (field("used_cpu_user") + field("used_cpu_sys")) * 1000;
}

export type CpuSnapshot = { webMs: number; workerMs: number; redisMs: number; benchMs: number };

export async function cpuSnapshot(pids: { web: number; worker: number }, redis: Redis): Promise<CpuSnapshot> {
  const own = process.cpuUsage();
  return {
    webMs: groupCpuMs(pids.web),
    workerMs: groupCpuMs(pids.worker),
    redisMs: await redisCpuMs(redis),
    benchMs: (own.user + own.system) / 1000,
  };
}

export function cpuBetween(a: CpuSnapshot, b: CpuSnapshot): CpuSnapshot {
  const d = (k: keyof CpuSnapshot) => Math.round(b[k] - a[k]);
  return { webMs: d("webMs"), workerMs: d("workerMs"), redisMs: d("redisMs"), benchMs: d("benchMs") };
}

/** The web server's serving processes: the children of its primary (server/http/main.ts forks them), or none. */
export function webServerProcesses(primaryPid: number): number[] {
  try {
    return fs.readFileSync(`/proc/${primaryPid}/task/${primaryPid}/children`, "utf8").trim().split(/\s+/).filter(Boolean).map(Number);
  } catch {
    return [];
  }
}
