/**
 * CPU time of finished child processes, which load on a shared machine inflates far less than wall time.
 * Linux counts the user and system time of every child this process has waited for in /proc/self/stat
 * (cutime, cstime); spawnSync waits, so the difference across one spawnSync is that child's CPU time,
 * helper threads (garbage collector, compiler) included. Elsewhere there is no such counter: null.
 */
import { spawnSync } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";

const STAT = "/proc/self/stat";

/** Clock ticks per second, the unit of /proc's times (100 on every common Linux). */
const ticksPerSecond = (() => {
  const r = spawnSync("getconf", ["CLK_TCK"], { encoding: "utf8" });
  const n = Number(r.stdout?.trim());
  return Number.isFinite(n) && n > 0 ? n : 100;
})();

/** CPU milliseconds (user and system) used so far by the children this process has waited for, or null off Linux. */
export function childCpu(): { user: number; system: number } | null {
  if (!existsSync(STAT)) return null;
  // the command name (field 2) may hold spaces: count fields from the ")" that closes it
  const text = readFileSync(STAT, "utf8");
  const fields = text.slice(text.lastIndexOf(")") + 2).split(" ");
  // fields from the state (field 3): cutime is field 16, cstime field 17
  const cutime = Number(fields[16 - 3]);
  const cstime = Number(fields[17 - 3]);
  return { user: (cutime * 1000) / ticksPerSecond, system: (cstime * 1000) / ticksPerSecond };
}

/** The granularity of childCpu(), for the table's footnote. */
export const childCpuResolutionMs = 1000 / ticksPerSecond;
