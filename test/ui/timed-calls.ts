/**
 * A trace store for the rollup tests: calls every few minutes from 20:07 UTC two days ago until a minute ago
 * (two UTC midnights, whole days, today's hours rolled up or not yet), varied by index: repairs, re-asks,
 * provider timeouts with estimated usage, a fallback model, hardcoded values, unknown prices. Written through the
 * real writer in chronological batches; one call's end lands in a later batch, after its day was merged.
 */
import type { BallastEvent } from "../../src/core/events.js";
import {
  createTraceStore,
  DAY_MS,
  dayOf,
  HOUR_MS,
  hourOf,
  openTraceDb,
  ROLLUP_GRACE_MS,
  rollupDaysUntil,
  rollupUntil,
} from "../../src/observe/trace-store/index.js";
import { attempt, callEvents, usage } from "../observe/helpers.js";

export const NOW = Date.now();
/**
 * Late evening three days ago: whatever the hour now, the store holds a day cut in part, at least one whole
 * day already merged into the daily rollups (a day that ended minutes ago may not be yet), and today so far.
 */
export const FIRST_CALL = dayOf(NOW) - 3 * DAY_MS + 20 * HOUR_MS + 7 * 60_000;
const STEP_MS = 7 * 60_000 + 17_000;
export const CALLS = Math.floor((NOW - 60_000 - FIRST_CALL) / STEP_MS);
/** The call whose end is written last, long after its hour and day were rolled up. */
export const LATE_CALL = 3;

export const startOf = (i: number): number => FIRST_CALL + i * STEP_MS;

/** Call i's events, varied by i. */
export function timedCall(i: number): BallastEvent[] {
  const ts = startOf(i);
  const callId = `call-${i}`;
  const outcome = i % 4 === 0 ? "repaired" : i % 7 === 0 ? "invalid" : i % 9 === 0 ? "timeout" : "ok";
  const first = attempt({
    id: `${callId}.1`,
    startedAt: ts + 1,
    latencyMs: 20 + ((i * 37) % 400) + (i % 3) * 0.25,
    usage: usage({ inputTokens: 200 + i, cachedInputTokens: (i % 3) * 50, outputTokens: outcome === "timeout" ? 12 : 30 }),
    costUsd: i % 11 === 0 ? null : 0.0001 * (1 + (i % 5)),
    outcome,
    recoverySteps: outcome === "repaired" ? ["strip-fences"] : [],
    ...(outcome === "invalid"
      ? {
          error: { kind: "invalid_output" as const, message: "bad", issues: [{ path: ["items", 0, "price"], message: "expected number" }] },
        }
      : outcome === "timeout"
        ? { error: { kind: "timeout" as const, message: "slow" }, estimated: true as const }
        : {}),
  });
  const attempts = [first];
  if (outcome === "invalid")
    attempts.push(attempt({ id: `${callId}.2`, startedAt: ts + 500, latencyMs: 90, kind: "reask", costUsd: 0.0002 }));
  if (outcome === "timeout")
    attempts.push(attempt({ id: `${callId}.2`, startedAt: ts + 600, latencyMs: 120, model: "backup", provider: "anthropic", rung: 1 }));
  const hardcoded = i % 13 === 0;
  return callEvents({
    callId,
    ts,
    task: i % 2 === 0 ? "extract" : "classify",
    attempts,
    source: hardcoded ? "fallback" : outcome === "repaired" ? "repaired" : "model",
    ...(hardcoded ? { model: "hardcoded_fallback" } : {}),
  });
}

/** True when every hour due is rolled up and every whole day of them merged. */
export function rolledUp(path: string): boolean {
  const db = openTraceDb(path);
  try {
    const until = rollupUntil(db);
    return until >= hourOf(Date.now() - ROLLUP_GRACE_MS) && rollupDaysUntil(db) >= dayOf(until);
  } finally {
    db.close();
  }
}

/** Writes the calls in chronological batches of `perBatch`, then small batches until the rollups have caught up. */
export function writeTimedCalls(path: string, perBatch = 60): void {
  const store = createTraceStore({ path, retention: { maxAgeDays: 0, maxCalls: 0 }, flushMs: 3_600_000 });
  const late = timedCall(LATE_CALL);
  const lateEnd = late.findIndex((e) => e.type === "call_end");
  for (let from = 0; from < CALLS; from += perBatch) {
    for (let i = from; i < Math.min(CALLS, from + perBatch); i++) {
      for (const e of i === LATE_CALL ? late.slice(0, lateEnd) : timedCall(i)) store.listener(e);
    }
    store.flush();
  }
  for (let n = 0; n < 20 && !rolledUp(path); n++) {
    store.listener({ type: "warning", callId: "", ts: Date.now(), message: "catch up" });
    store.flush();
  }
  // the late end: its call's hour and day are rolled up by now, and fold again
  store.listener(late[lateEnd]!);
  store.close();
}
