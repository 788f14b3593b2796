/**
 * Private-context outcomes (none, authorized, self-reported, silent) over time, and the calls behind them
 * (newest first, through the partial index on calls that carried a private context).
 */
import type { Tallies, TraceDb } from "../../observe/index.js";
import { fits, type ViewFilter } from "./filter.js";
import { bucketSize, series } from "./figures.js";

const OUTCOMES = ["none", "authorized", "self_reported", "silent"] as const;

export function guard(db: TraceDb, tallies: Tallies, f: ViewFilter, outcome: string | undefined) {
  const now = Date.now();
  const totals: Record<string, number> = { none: 0, authorized: 0, self_reported: 0, silent: 0 };
  const points: Array<{ at: number; values: Record<string, number> }> = [];
  for (const c of tallies.counts.values()) {
    if (c.metric !== "guard" || !fits(f, c)) continue;
    totals[c.key] = (totals[c.key] ?? 0) + c.n;
    points.push({ at: c.at, values: { [c.key]: c.n } });
  }
  const where = ["started_at >= @since", "private_context IS NOT NULL"];
  if (f.task !== undefined) where.push("IFNULL(task, '') = @task");
  if (f.model !== undefined) where.push("model = @model");
  if (outcome !== undefined) where.push("private_context ->> '$.outcome' = @outcome");
  const calls = db
    .prepare(
      `SELECT id, started_at, task, model, private_context ->> '$.outcome' AS outcome, leak FROM calls
       WHERE ${where.join(" AND ")} ORDER BY started_at DESC LIMIT 50`,
    )
    .all({ since: f.since, task: f.task ?? null, model: f.model ?? null, outcome: outcome ?? null });
  const size = bucketSize(f.since, now);
  return { totals, over_time: { outcomes: OUTCOMES, bucket_ms: size, ...series(points, OUTCOMES, size) }, calls };
}
