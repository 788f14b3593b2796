/**
 * The models' prompt feedback grouped per task, with counts and example calls: what `ballast feedback` prints
 * (the same query), with the calls per task taken from the rollups instead of a count over every call.
 */
import { promptFeedback, type Tallies, type TraceDb } from "../../observe/index.js";
import type { ViewFilter } from "./filter.js";

export function feedback(db: TraceDb, tallies: Tallies, f: ViewFilter) {
  const callsPerTask = new Map<string, number>();
  for (const c of tallies.calls.values())
    if (f.task === undefined || c.task === f.task) callsPerTask.set(c.task, (callsPerTask.get(c.task) ?? 0) + c.calls);
  return {
    tasks: promptFeedback(db, { since: f.since, top: 10, callsPerTask, ...(f.task !== undefined ? { task: f.task } : {}) }),
  };
}
