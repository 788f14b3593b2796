// The writer's daily rollups: a store spanning two UTC midnights reads the same through the daily level, through
// the hourly one and as `stats()` over the raw rows (counts, tokens, dollars, estimated attempts, exact latency
// percentiles, per day too), for windows that start at a midnight, mid-hour, or cover everything; each daily row
// is the merge of its day's hourly rows; a late event re-merges its day.
import assert from "node:assert/strict";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { before, test } from "node:test";
import {
  createTraceStore,
  DAY_MS,
  dayOf,
  HOUR_MS,
  hourOf,
  openTraceDb,
  readTallies,
  rollupDaysUntil,
  rollupUntil,
  stats,
  type Tallies,
  type TraceDb,
} from "../../src/observe/trace-store/index.js";
import { cache, health, overview, readFilter, talliesFor } from "../../src/ui/index.js";
import { attempt, usage } from "../observe/helpers.js";
import { CALLS, FIRST_CALL, LATE_CALL, NOW, startOf, timedCall, writeTimedCalls } from "./timed-calls.js";

const path = join(mkdtempSync(join(tmpdir(), "ballast-daily-")), "traces.db");

before(() => writeTimedCalls(path));

const withDb = <T>(fn: (db: TraceDb) => T): T => {
  const db = openTraceDb(path);
  try {
    return fn(db);
  } finally {
    db.close();
  }
};
const filterSince = (since: number) => ({ ...readFilter(new URLSearchParams({ since: "all" })), since });

/** What the views show of a window, from tallies read at a given grain, in the shape `stats()` reports it. */
function figures(db: TraceDb, t: Tallies, since: number) {
  const f = filterSince(since);
  const o = overview(db, t, f, NOW);
  const h = health(t, f);
  return {
    calls: o.summary.calls,
    completed: o.summary.completed,
    spend: Number(o.summary.spend_usd.toFixed(12)),
    unknown: o.summary.unknown_cost_attempts,
    estimated: o.summary.estimated_cost_attempts,
    percentiles: [o.summary.p50_ms, o.summary.p95_ms, o.summary.p99_ms],
    shares: [
      o.summary.success_share,
      o.summary.error_share,
      o.summary.fallback_share,
      h.repaired_share,
      h.reasked_share,
      h.hardcoded_share,
    ],
    models: o.models.map((m) => [m.model, m.attempts, m.answered, m.uptime, m.p50_ms, Number(m.spend_usd.toFixed(12))]),
    tasks: cache(db, t, f).tasks.map((x) => [x.task, x.calls, x.input_tokens, x.cached_input_tokens, x.cached_input_share]),
  };
}

function fromStats(db: TraceDb, since: number) {
  const s = stats(db, { since });
  return {
    calls: s.calls,
    completed: s.completed,
    spend: Number(s.spend_usd.toFixed(12)),
    unknown: s.unknown_cost_attempts,
    estimated: s.estimated_cost_attempts,
    percentiles: [s.p50_ms, s.p95_ms, s.p99_ms],
    shares: [s.success_share, s.error_share, s.fallback_share, s.repaired_share, s.reasked_share, s.hardcoded_share],
    models: s.models.map((m) => [m.model, m.attempts, m.answered, m.uptime, m.p50_ms, Number(m.spend_usd.toFixed(12))]),
    tasks: s.tasks.map((x) => [x.task, x.calls, x.input_tokens, x.cached_input_tokens, x.cached_input_share]),
  };
}

/** Daily, hourly and raw agree for the window starting at `since`. */
function agree(since: number, label: string): void {
  withDb((db) => {
    const raw = fromStats(db, since);
    assert.ok(raw.calls > 0, `${label}: the window has calls`);
    assert.ok(raw.estimated > 0, `${label}: the window has estimated attempts`);
    const daily = readTallies(db, { since }, { grain: DAY_MS });
    const hourly = readTallies(db, { since }, { grain: HOUR_MS });
    assert.deepEqual(figures(db, daily, since), raw, `${label}: daily level vs raw rows`);
    assert.deepEqual(figures(db, hourly, since), raw, `${label}: hourly level vs raw rows`);
    // the whole days of the window came from the daily rows (one per day, task and model), not from their hours
    const firstFullDay = Math.ceil(since / DAY_MS) * DAY_MS;
    const inWholeDays = (t: Tallies) => [...t.calls.values()].filter((c) => c.at >= firstFullDay && c.at < rollupDaysUntil(db));
    if (firstFullDay < rollupDaysUntil(db)) {
      assert.ok(inWholeDays(daily).length > 0 && inWholeDays(daily).every((c) => c.at % DAY_MS === 0), `${label}: days read whole`);
      assert.ok(
        inWholeDays(hourly).some((c) => c.at % DAY_MS !== 0),
        `${label}: the hourly read keeps hours`,
      );
    }
  });
}

test("the writer merged every whole day of rolled-up hours, and only those", () => {
  withDb((db) => {
    const until = rollupUntil(db);
    const days = rollupDaysUntil(db);
    assert.equal(days, dayOf(until), "days are merged up to the day the hourly rollups are in");
    const rows = db.prepare("SELECT day, SUM(calls) AS calls FROM rollup_calls_daily GROUP BY day ORDER BY day").all() as Array<{
      day: number;
      calls: number;
    }>;
    assert.equal(rows[0]!.day, dayOf(FIRST_CALL));
    assert.ok(rows.length >= 1 && rows.every((r) => r.day < days));
    const inDays = Array.from({ length: CALLS }, (_, i) => startOf(i)).filter((t) => t < days).length;
    assert.equal(
      rows.reduce((s, r) => s + r.calls, 0),
      inDays,
    );
  });
});

test("each daily row is the merge of its day's hourly rows: every count, token, dollar and latency", () => {
  withDb((db) => {
    const sums = (level: "hour" | "day", table: string, columns: string, keys: string) =>
      db
        .prepare(
          `SELECT ${level === "hour" ? `hour - hour % ${DAY_MS}` : "day"} AS d, ${keys}, ${columns} FROM ${table}
           WHERE ${level} < ? GROUP BY d, ${keys} ORDER BY d, ${keys}`,
        )
        .all(rollupDaysUntil(db));
    const callColumns =
      "SUM(calls), SUM(completed), SUM(success), SUM(repaired), SUM(reasked), SUM(fallback), SUM(hardcoded), SUM(errors), SUM(leak_self), SUM(leak_silent)";
    const attemptColumns =
      "SUM(attempts), SUM(ran), SUM(answered), SUM(provider_failures), ROUND(SUM(spend), 12), SUM(unknown_cost), SUM(estimated), SUM(input), SUM(cached)";
    assert.deepEqual(
      sums("day", "rollup_calls_daily", callColumns, "task, model"),
      sums("hour", "rollup_calls", callColumns, "task, model"),
    );
    assert.deepEqual(
      sums("day", "rollup_attempts_daily", attemptColumns, "task, model, provider"),
      sums("hour", "rollup_attempts", attemptColumns, "task, model, provider"),
    );
    assert.deepEqual(
      sums("day", "rollup_counts_daily", "SUM(n)", "task, model, metric, key"),
      sums("hour", "rollup_counts", "SUM(n)", "task, model, metric, key"),
    );
    const floats = (blob: Uint8Array | null) => (blob ? [...new Float64Array(new Uint8Array(blob).buffer)] : []);
    for (const table of ["rollup_calls", "rollup_attempts"]) {
      const days = db.prepare(`SELECT day, task, model, latencies FROM ${table}_daily`).all() as Array<{
        day: number;
        task: string;
        model: string;
        latencies: Uint8Array | null;
      }>;
      assert.ok(days.length > 0);
      const hours = db.prepare(`SELECT latencies FROM ${table} WHERE hour >= ? AND hour < ? AND task = ? AND model = ?`);
      for (const d of days) {
        const merged = (hours.all(d.day, d.day + DAY_MS, d.task, d.model) as Array<{ latencies: Uint8Array | null }>)
          .flatMap((h) => floats(h.latencies))
          .sort((a, b) => a - b);
        assert.deepEqual(floats(d.latencies), merged, `${table} ${new Date(d.day).toISOString()} ${d.task} ${d.model}`);
      }
    }
  });
});

test("the whole store reads the same through the daily level, the hourly level and the raw rows", () => agree(0, "all"));

test("a window from a UTC midnight: whole days from the daily level", () => agree(dayOf(FIRST_CALL) + DAY_MS, "from midnight"));

test("a window starting mid-hour before a midnight: the partial hour raw, its day's other hours hourly, then days", () => {
  agree(hourOf(FIRST_CALL) + 2 * HOUR_MS + 23 * 60_000 + 500, "mid-hour");
  agree(dayOf(FIRST_CALL) + DAY_MS - 37 * 60_000, "37 minutes before midnight");
});

test("per UTC day, the overview's latency percentiles, calls and spend equal `ballast stats --by day`", () => {
  withDb((db) => {
    const f = filterSince(0);
    const o = overview(db, talliesFor(db, "overview", f, NOW), f, NOW);
    assert.equal(o.latency.bucket_ms, DAY_MS);
    const s = stats(db, { since: 0, by: "day" });
    const days = s.groups!.map((g) => [g.key, g.p50_ms, g.p95_ms, g.p99_ms, Number(g.spend_usd.toFixed(12))]);
    const spendOn = (i: number) =>
      o.spend_per_day.models.reduce((sum, m) => sum + ((o.spend_per_day as Record<string, unknown>)[m] as number[])[i]!, 0);
    const shown = o.latency.t.map((t, i) => [
      new Date(t * 1000).toISOString().slice(0, 10),
      o.latency.p50[i],
      o.latency.p95[i],
      o.latency.p99[i],
      Number(spendOn(o.spend_per_day.t.indexOf(t)).toFixed(12)),
    ]);
    assert.ok(days.length >= 2, `${days.length} days`);
    assert.deepEqual(shown, days);
  });
});

test("the late end of a call in a merged day, and a late attempt, re-merge that day", () => {
  withDb((db) => {
    const call = db.prepare("SELECT ended_at FROM calls WHERE id = ?").get(`call-${LATE_CALL}`) as { ended_at: number | null };
    assert.notEqual(call.ended_at, null);
    assert.ok(startOf(LATE_CALL) < rollupDaysUntil(db), "the late call's day was merged before its end arrived");
  });
  agree(0, "after the late end");
  // a hedge loser of an old call settles long after: cut short, its usage estimated
  const store = createTraceStore({ path, retention: { maxAgeDays: 0, maxCalls: 0 }, flushMs: 3_600_000 });
  const old = timedCall(5).find((e) => e.type === "call_start")!;
  store.listener({
    type: "attempt_end",
    callId: old.callId,
    ts: old.ts + 127.5,
    attempt: attempt({
      id: `${old.callId}.9`,
      kind: "hedge",
      outcome: "aborted",
      startedAt: old.ts + 50,
      latencyMs: 77.5,
      usage: usage({ inputTokens: 321, outputTokens: 4 }),
      costUsd: 0.0007,
      estimated: true,
    }),
  });
  store.close();
  withDb((db) => {
    const spend = (table: string, period: string) =>
      (db.prepare(`SELECT ROUND(SUM(spend), 12) AS s FROM ${table} WHERE ${period} < ?`).get(dayOf(startOf(5)) + DAY_MS) as { s: number })
        .s;
    assert.equal(spend("rollup_attempts_daily", "day"), spend("rollup_attempts", "hour"));
  });
  agree(0, "after the late attempt");
});

/** Reopens the store with a retention that keeps the newest `keep` calls, and lets one batch trim the rollups. */
function retain(keep: number): void {
  const store = createTraceStore({ path, retention: { maxAgeDays: 0, maxCalls: keep }, flushMs: 3_600_000 });
  store.listener({ type: "warning", callId: "", ts: Date.now(), message: "after retention" });
  store.close();
}

test("retention that cuts a merged day in part, then empties it: its daily rows are merged again, then gone", () => {
  const firstDay = dayOf(FIRST_CALL);
  retain(CALLS - 10);
  withDb((db) => {
    const oldest = (db.prepare("SELECT MIN(started_at) AS t FROM calls").get() as { t: number }).t;
    assert.ok(dayOf(oldest) === firstDay && firstDay < rollupDaysUntil(db), "a merged day is cut in part");
    assert.equal(stats(db).calls, CALLS - 10);
  });
  agree(0, "a day cut in part");

  const fromNextDay = Array.from({ length: CALLS }, (_, i) => startOf(i)).filter((t) => t >= firstDay + DAY_MS).length;
  retain(fromNextDay);
  withDb((db) => {
    for (const [table, period] of [
      ["rollup_calls_daily", "day"],
      ["rollup_attempts_daily", "day"],
      ["rollup_counts_daily", "day"],
      ["rollup_calls", "hour"],
    ])
      assert.equal(
        (db.prepare(`SELECT COUNT(*) AS n FROM ${table} WHERE ${period} < ?`).get(firstDay + DAY_MS) as { n: number }).n,
        0,
        table,
      );
  });
  agree(0, "a day emptied");
});
