/**
 * Reads from the rollups only what one view shows, for the view's window, task and model, at the coarsest period
 * the view can use: days for the views without a time axis, the chart's bucket for the ones with one.
 */
import { DAY_MS, readTallies, type Tallies, type TallyParts, type TraceDb } from "../../observe/index.js";
import { bucketSize } from "./figures.js";
import type { ViewFilter } from "./filter.js";

const PARTS = {
  overview: { calls: true, attempts: true, latencies: true },
  health: { calls: true, counts: ["first_try", "recovery", "depth", "field", "issue", "error"] },
  cache: { calls: true, attempts: true },
  guard: { counts: ["guard"] },
  feedback: { calls: true },
} satisfies Record<string, TallyParts>;

/** Views that chart over time: their rows must not span more than one bucket of the chart. */
const CHARTED = new Set<keyof typeof PARTS>(["overview", "guard"]);

export function talliesFor(db: TraceDb, view: keyof typeof PARTS, f: ViewFilter, now = Date.now()): Tallies {
  return readTallies(
    db,
    { since: f.since, ...(f.task !== undefined ? { task: f.task } : {}), ...(f.model !== undefined ? { model: f.model } : {}) },
    { parts: PARTS[view], grain: CHARTED.has(view) ? bucketSize(f.since, now) : DAY_MS },
  );
}
