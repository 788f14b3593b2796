/**
 * The traces list (newest first, filtered) and one trace in detail: the call, its attempts as a tree by rung
 * (re-asks and hedges under their rung, the winner marked), the prompt, and per attempt the raw response beside
 * what recovery made of it (for the winner, the value returned; for the others, `recover()` without the schema),
 * with tokens and dollars.
 */
import { recover } from "../../recovery/index.js";
import { getCall, type TraceDb } from "../../observe/index.js";
import type { ViewFilter } from "./filter.js";

export function listTraces(db: TraceDb, f: ViewFilter, options: { failed?: boolean; limit?: number } = {}) {
  const where = ["started_at >= @since"];
  if (f.task !== undefined) where.push("IFNULL(task, '') = @task");
  if (f.model !== undefined) where.push("model = @model");
  if (options.failed) where.push("(hardcoded = 1 OR error_kind IS NOT NULL OR ended_at IS NULL)");
  const calls = db
    .prepare(
      `SELECT id, started_at, task, model, source, error_kind, attempts, latency_ms, cost_usd, fallback, hardcoded, repaired, reasked,
              input_tokens, output_tokens
       FROM calls WHERE ${where.join(" AND ")} ORDER BY started_at DESC LIMIT @limit`,
    )
    .all({ since: f.since, task: f.task ?? null, model: f.model ?? null, limit: Math.min(500, Math.max(1, options.limit ?? 100)) });
  return { calls };
}

/** The attempt that produced the value: the last valid one of the answering model. */
function winnerSeq(attempts: ReadonlyArray<Record<string, unknown>>, model: unknown): number | null {
  for (let i = attempts.length - 1; i >= 0; i--) {
    const a = attempts[i]!;
    if ((a.outcome === "ok" || a.outcome === "repaired") && a.model === model) return a.seq as number;
  }
  return null;
}

export function traceDetail(db: TraceDb, id: string) {
  const found = getCall(db, id);
  if (!found) return null;
  const winner = winnerSeq(found.attempts, found.call.model);
  const attempts = found.attempts.map((a) => {
    const raw = typeof a.response_text === "string" ? a.response_text : null;
    let repaired: unknown = null;
    if (a.seq === winner && found.call.value !== null && found.call.value !== undefined) repaired = found.call.value;
    else if (raw !== null) {
      const r = recover(raw);
      repaired = r.ok ? r.value : null;
    }
    return {
      ...a,
      rung: a.rung as number,
      model: a.model as string,
      winner: a.seq === winner,
      repaired_json: repaired === null ? null : JSON.stringify(repaired, null, 2),
    };
  });
  const rungs = new Map<number, typeof attempts>();
  for (const a of attempts) {
    const r = a.rung;
    rungs.set(r, [...(rungs.get(r) ?? []), a]);
  }
  return {
    call: found.call,
    rungs: [...rungs].sort((a, b) => a[0] - b[0]).map(([rung, list]) => ({ rung, model: list[0]!.model, attempts: list })),
    events: found.events,
  };
}
