/** Reads from the rollups only what one view shows, for the view's window, task and model. */
import { readTallies, type Tallies, type TallyParts, type TraceDb } from "../../observe/index.js";
import type { ViewFilter } from "./filter.js";

const PARTS = {
  overview: { calls: true, attempts: true, latencies: true },
  health: { calls: true, counts: ["first_try", "recovery", "depth", "field", "issue", "error"] },
  cache: { calls: true, attempts: true },
  guard: { counts: ["guard"] },
  feedback: { calls: true },
} satisfies Record<string, TallyParts>;

export function talliesFor(db: TraceDb, view: keyof typeof PARTS, f: ViewFilter): Tallies {
  return readTallies(
    db,
    { since: f.since, ...(f.task !== undefined ? { task: f.task } : {}), ...(f.model !== undefined ? { model: f.model } : {}) },
    PARTS[view],
  );
}
