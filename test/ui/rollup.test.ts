// The writer's hourly rollups: a store written over several past hours, with late events and a call that ends
// in a later batch, reads the same through the rollups (plus the raw rows of the edge hour) as `stats()` over
// the raw rows, for the whole store and for a window that starts mid-hour.
import assert from "node:assert/strict";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { before, test } from "node:test";
import type { BallastEvent } from "../../src/core/events.js";
import { createTraceStore, HOUR_MS, openTraceDb, readTallies, rollupUntil, stats } from "../../src/observe/trace-store/index.js";
import { cache, health, overview, readFilter } from "../../src/ui/index.js";
import { attempt, callEvents, usage } from "../observe/helpers.js";

const path = join(mkdtempSync(join(tmpdir(), "ballast-rollup-")), "traces.db");
const base = 1_700_000_000_000 - (1_700_000_000_000 % HOUR_MS) + 17 * 60_000; // 17 minutes into an hour

/** Call i of the fixture: its events, varied by i (models, repairs, re-asks, fallbacks, hardcoded values). */
function call(i: number, options: { end?: boolean } = {}): BallastEvent[] {
  const ts = base + i * 71_000; // ~6 hours of calls
  const callId = `call-${i}`;
  const first = attempt({
    id: `${callId}.1`,
    startedAt: ts + 1,
    latencyMs: 20 + ((i * 37) % 400),
    usage: usage({ inputTokens: 200 + i, cachedInputTokens: (i % 3) * 50, outputTokens: 30 }),
    costUsd: i % 11 === 0 ? null : 0.0001 * (1 + (i % 5)),
    outcome: i % 4 === 0 ? "repaired" : i % 7 === 0 ? "invalid" : i % 9 === 0 ? "timeout" : "ok",
    recoverySteps: i % 4 === 0 ? ["strip-fences"] : [],
    ...(i % 7 === 0 && i % 4 !== 0
      ? {
          error: { kind: "invalid_output" as const, message: "bad", issues: [{ path: ["items", 0, "price"], message: "expected number" }] },
        }
      : i % 9 === 0 && i % 4 !== 0
        ? { error: { kind: "timeout" as const, message: "slow" } }
        : {}),
  });
  const attempts = [first];
  if (first.outcome === "invalid")
    attempts.push(attempt({ id: `${callId}.2`, startedAt: ts + 500, latencyMs: 90, kind: "reask", costUsd: 0.0002 }));
  if (first.outcome === "timeout")
    attempts.push(attempt({ id: `${callId}.2`, startedAt: ts + 600, latencyMs: 120, model: "backup", provider: "anthropic", rung: 1 }));
  const hardcoded = i % 13 === 0;
  return callEvents({
    callId,
    ts,
    task: i % 2 === 0 ? "extract" : "classify",
    attempts,
    source: hardcoded ? "fallback" : first.outcome === "repaired" ? "repaired" : "model",
    ...(hardcoded ? { model: "hardcoded_fallback" } : {}),
    ...(options.end === false ? { end: false } : {}),
  });
}

before(() => {
  const store = createTraceStore({ path, retention: { maxAgeDays: 0, maxCalls: 0 }, flushMs: 60_000 });
  const late = call(5);
  const lateEnd = late.findIndex((e) => e.type === "call_end");
  for (let batch = 0; batch < 3; batch++) {
    for (let i = batch * 100; i < batch * 100 + 100; i++) {
      if (i === 5) for (const e of late.slice(0, lateEnd)) store.listener(e);
      else for (const e of call(i)) store.listener(e);
    }
    store.flush();
  }
  // call 5 ends two batches after it started, its hour long rolled up
  store.listener(late[lateEnd]!);
  store.flush();
  store.close();
});

const params = (since: string) => new URLSearchParams({ since });

function compare(since: number, label: string): void {
  const db = openTraceDb(path);
  try {
    const f = { ...readFilter(params("all")), since };
    const t = readTallies(db, f);
    const s = stats(db, { since });
    const o = overview(db, t, f).summary;
    const close = (a: number, b: number, what: string) => assert.ok(Math.abs(a - b) < 1e-9, `${label}: ${what} ${a} vs ${b}`);
    assert.equal(o.calls, s.calls, `${label}: calls`);
    assert.equal(o.completed, s.completed, `${label}: completed`);
    close(o.spend_usd, s.spend_usd, "spend");
    assert.equal(o.unknown_cost_attempts, s.unknown_cost_attempts, `${label}: unknown cost`);
    assert.deepEqual([o.p50_ms, o.p95_ms, o.p99_ms], [s.p50_ms, s.p95_ms, s.p99_ms], `${label}: percentiles`);
    assert.deepEqual([o.success_share, o.error_share, o.fallback_share], [s.success_share, s.error_share, s.fallback_share], label);
    const h = health(t, f);
    assert.deepEqual(
      [h.repaired_share, h.reasked_share, h.hardcoded_share],
      [s.repaired_share, s.reasked_share, s.hardcoded_share],
      `${label}: health shares`,
    );
    const models = overview(db, t, f).models.map((m) => [m.model, m.attempts, m.answered, m.uptime, m.p50_ms]);
    assert.deepEqual(
      models,
      s.models.map((m) => [m.model, m.attempts, m.answered, m.uptime, m.p50_ms]),
      `${label}: models`,
    );
    const tasks = cache(db, t, f).tasks.map((x) => [x.task, x.calls, x.input_tokens, x.cached_input_tokens, x.cached_input_share]);
    assert.deepEqual(
      tasks,
      s.tasks.map((x) => [x.task, x.calls, x.input_tokens, x.cached_input_tokens, x.cached_input_share]),
      `${label}: cache per task`,
    );
  } finally {
    db.close();
  }
}

test("every past hour is rolled up by the writer", () => {
  const db = openTraceDb(path);
  const until = rollupUntil(db);
  const rows = db.prepare("SELECT COUNT(DISTINCT hour) AS n, SUM(calls) AS calls FROM rollup_calls").get() as { n: number; calls: number };
  db.close();
  assert.ok(until > base + 6 * HOUR_MS, "the rollups reach past the last call");
  assert.equal(rows.calls, 300);
  assert.ok(rows.n >= 6, `${rows.n} hours`);
});

test("the whole store reads the same through the rollups as stats() over the raw rows", () => compare(0, "all"));

test("a window starting mid-hour: the edge hour is folded from the raw rows, the rest from the rollups", () => {
  compare(base + 2 * HOUR_MS + 13 * 60_000, "mid-hour");
  compare(base + 5 * HOUR_MS, "late window");
});

test("a call that ended after its hour was rolled up is counted with its end (the hour is refolded)", () => {
  const db = openTraceDb(path);
  const f = { ...readFilter(params("all")), since: 0 };
  const t = readTallies(db, f);
  db.close();
  const hour = base - (base % HOUR_MS);
  const first = [...t.calls.values()].filter((c) => c.at === hour).reduce((s, c) => s + c.completed, 0);
  const started = [...t.calls.values()].filter((c) => c.at === hour).reduce((s, c) => s + c.calls, 0);
  assert.equal(first, started, "every call of the first hour, call-5 included, is completed");
});

test("bad filters are refused with the field named", () => {
  assert.throws(
    () => readFilter(params("yesterday-ish")),
    (e: unknown) => (e as { kind?: string; field?: string }).kind === "dashboard_request" && (e as { field: string }).field === "since",
  );
});
