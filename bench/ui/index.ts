// Dashboard bench: a 1,000,000-call trace store over 30 days (rows inserted directly, as a store written before
// the rollups existed), rolled up by the writer (its migration path: small batches until the hourly and daily
// rollups are complete), then every view's data timed, median of 5, for the whole month and the last 24 h, beside
// the raw `stats()` query `ballast stats` runs. Also the shipped front-end bundle's size.
// Last line: RESULT ui {"calls", "slowest_view_ms", "slowest_view_cpu_ms", "bundle_kb"}.
// Usage: npm run bench -- ui [calls, default 1000000] [store path: kept, and reused when it exists]
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { availableParallelism, loadavg, tmpdir } from "node:os";
import { join } from "node:path";
import { gzipSync } from "node:zlib";
import { table } from "../../src/observe/format-table.js";
import {
  createTraceStore,
  dayOf,
  HOUR_MS,
  hourOf,
  openTraceDb,
  ROLLUP_GRACE_MS,
  rollupDaysUntil,
  rollupUntil,
  stats,
  type TraceDb,
} from "../../src/observe/trace-store/index.js";
import { openTraceDbForWrite } from "../../src/observe/trace-store/open.js";
import {
  bundleFrontEnd,
  cache,
  feedback,
  guard,
  health,
  listTraces,
  overview,
  readFilter,
  talliesFor,
  traceDetail,
} from "../../src/ui/index.js";

const CALLS = Number(process.argv[2] ?? 1_000_000);
const DAYS = 30;
const dir = mkdtempSync(join(tmpdir(), "ballast-bench-ui-"));
const path = process.argv[3] ?? join(dir, "traces.db"); // a path given: the store is kept there (and reused if it exists)
const now = Date.now();
const start = now - DAYS * 86_400_000;
const step = (DAYS * 86_400_000 - HOUR_MS / 2) / CALLS; // the last half hour is left to the raw path

const TASKS = ["extract-invoice", "classify-ticket", "summarize", "route-email"];
const MODELS = [
  ["gpt-4.1-mini", "openai"],
  ["claude-haiku-4-5", "anthropic"],
  ["gpt-4.1", "openai"],
] as const;
const FEEDBACK = [
  "The instructions do not say which currency to use.",
  "No list of allowed labels was given.",
  "Say which date format you want.",
  "The example contradicts the instructions about totals.",
];

/** A small deterministic generator (mulberry32) so every run builds the same store. */
function rng(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function generate(db: TraceDb): void {
  const random = rng(42);
  const insertCall =
    db.prepare(`INSERT INTO calls (id, task, operation, started_at, ended_at, latency_ms, models, model, source, error_kind,
      fallback, hardcoded, repaired, reasked, hedges, attempts, input_tokens, output_tokens, cached_input_tokens, cost_usd, leak,
      private_context, prompt, value, prompt_feedback, errors) VALUES (?, ?, 'generate', ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 0, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, '[]')`);
  const insertAttempt = db.prepare(`INSERT INTO attempts (id, call_id, call_pk, seq, model, provider, rung, kind, outcome, started_at,
      latency_ms, input_tokens, output_tokens, cached_input_tokens, cache_write_tokens, reasoning_tokens, cost_usd, finish_reason,
      recovery_steps, issues, response_text, estimated) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 0, 0, ?, 'stop', ?, ?, ?, ?)`);
  const insertEvent = db.prepare("INSERT INTO events (call_id, ts, type, model, data) VALUES (?, ?, ?, ?, ?)");
  const models = JSON.stringify(MODELS.slice(0, 2).map((m) => m[0]));
  const chunk = 50_000;
  for (let from = 0; from < CALLS; from += chunk) {
    db.transaction(() => {
      for (let i = from; i < Math.min(CALLS, from + chunk); i++) {
        const ts = Math.floor(start + i * step);
        const id = `call-${i.toString(36).padStart(8, "0")}`;
        const task = TASKS[i % TASKS.length]!;
        const r = random();
        const firstModel = i % 10 === 9 ? MODELS[2] : MODELS[0];
        const firstFails = r < 0.06; // provider failure: next rung
        const repaired = !firstFails && r < 0.14;
        const invalid = !firstFails && !repaired && r < 0.17; // re-asked
        const hardcoded = r > 0.995;
        const latency = 150 + Math.floor(-Math.log(1 - random()) * 400);
        const input = 800 + Math.floor(random() * 400);
        const cached = random() < 0.6 ? 512 : 0;
        const attempts: Array<[string, string, number, string, string, number, number]> = [];
        attempts.push([
          firstModel[0],
          firstModel[1],
          0,
          "initial",
          firstFails ? "timeout" : repaired ? "repaired" : invalid ? "invalid" : hardcoded ? "invalid" : "ok",
          latency,
          0.0004,
        ]);
        if (invalid) attempts.push([firstModel[0], firstModel[1], 0, "reask", "ok", 200, 0.0004]);
        if (firstFails) attempts.push([MODELS[1][0], MODELS[1][1], 1, "initial", hardcoded ? "invalid" : "ok", 300, 0.0006]);
        const model = hardcoded ? "hardcoded_fallback" : firstFails ? MODELS[1][0] : firstModel[0];
        const guardOutcome = i % 50 === 0 ? (r < 0.1 ? "silent" : r < 0.2 ? "self_reported" : r < 0.5 ? "authorized" : "none") : null;
        const fb = i % 40 === 0 ? FEEDBACK[Math.floor(random() * FEEDBACK.length)]! : null;
        const total = attempts.reduce((s, a) => s + a[5], 0);
        const pk = insertCall.run(
          id,
          task,
          ts,
          ts + total,
          total,
          models,
          model,
          hardcoded ? "fallback" : repaired ? "repaired" : "model",
          null,
          firstFails || hardcoded ? 1 : 0,
          hardcoded ? 1 : 0,
          repaired ? 1 : 0,
          invalid ? 1 : 0,
          attempts.length,
          input * attempts.length,
          60 * attempts.length,
          cached * attempts.length,
          attempts.reduce((s, a) => s + a[6], 0),
          guardOutcome === "silent" || guardOutcome === "self_reported" ? guardOutcome : null,
          guardOutcome
            ? JSON.stringify({ outcome: guardOutcome, modelFlag: guardOutcome === "self_reported", detected: guardOutcome === "silent" })
            : null,
          `[{"name":"instructions","role":"system","stable":true,"ref":"h${task}"},{"name":"input","role":"user","stable":false,"content":"Item ${i}: please process this request"}]`,
          `{"label":"l${i % 7}","total":${i % 1000}}`,
          fb,
        ).lastInsertRowid;
        let at = ts;
        attempts.forEach((a, n) => {
          insertAttempt.run(
            `${id}.${n + 1}`,
            id,
            pk,
            n + 1,
            a[0],
            a[1],
            a[2],
            a[3],
            a[4],
            at,
            a[5],
            input,
            60,
            cached,
            a[6],
            a[4] === "repaired" ? '["strip-fences","close-brackets"]' : "[]",
            a[4] === "invalid" ? '[{"path":["items",0,"price"],"message":"Expected number, received string"}]' : null,
            a[4] === "timeout" ? null : `{"label":"l${i % 7}","total":${i % 1000}}`,
            a[4] === "timeout" ? 1 : 0, // cut short: usage counted locally
          );
          at += a[5];
        });
        if (i % 500 === 0)
          insertEvent.run(id, ts, "cache_buster", null, JSON.stringify({ task, section: "instructions", tokensLost: 512 }));
        if (i % 10_000 === 0) insertEvent.run("", ts, "breaker", MODELS[0][0], JSON.stringify({ from: "closed", to: "open" }));
      }
    })();
  }
}

function median(values: number[]): number {
  const s = [...values].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)]!;
}

/**
 * Median wall time and median CPU time (user + system of this process) of `fn` over 5 runs, after one warm-up.
 * On a shared machine the wall time includes waiting for a core; the CPU time is the work itself.
 */
function time(fn: () => unknown): { wall: number; cpu: number } {
  fn();
  const wall: number[] = [];
  const cpu: number[] = [];
  for (let i = 0; i < 5; i++) {
    const c0 = process.cpuUsage();
    const t0 = performance.now();
    fn();
    wall.push(performance.now() - t0);
    const c = process.cpuUsage(c0);
    cpu.push((c.user + c.system) / 1000);
  }
  return { wall: median(wall), cpu: median(cpu) };
}

/** True when the writer has rolled up every hour due and merged every whole day of them. */
function rolledUp(): boolean {
  const db = openTraceDb(path);
  try {
    const until = rollupUntil(db);
    return until >= hourOf(Date.now() - ROLLUP_GRACE_MS) && rollupDaysUntil(db) >= dayOf(until);
  } finally {
    db.close();
  }
}

if (existsSync(path)) console.log(`reusing the store at ${path}`);
else {
  console.log(`generating ${CALLS.toLocaleString("en")} calls over ${DAYS} days in ${path} ...`);
  const t0 = performance.now();
  const db = openTraceDbForWrite(path);
  generate(db);
  db.close();
  console.log(`generated in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
}
{
  // The writer folds a backlog a bounded amount per batch (a day of hours, a week of days): a store written before
  // the rollups (or by an older version) catches up over many batches, driven here by one small batch at a time.
  const t0 = performance.now();
  const store = createTraceStore({ path, retention: { maxAgeDays: 0, maxCalls: 0 }, flushMs: 3_600_000 });
  let batches = 0;
  for (; batches < 500 && !rolledUp(); batches++) {
    store.listener({ type: "warning", callId: "", ts: Date.now(), message: "bench: roll up" });
    store.flush();
  }
  store.close();
  if (batches > 0) console.log(`rolled up by the writer in ${batches} batches, ${((performance.now() - t0) / 1000).toFixed(1)} s`);
}

const db = openTraceDb(path);
const someId = (db.prepare("SELECT id FROM calls ORDER BY pk DESC LIMIT 1 OFFSET 10").get() as { id: string }).id;
const rows: Array<[string, string, string, string]> = [];
let slowest = 0;
let slowestCpu = 0;
for (const window of ["30d", "24h"]) {
  const f = readFilter(new URLSearchParams({ since: window }));
  const views: Array<[string, () => unknown]> = [
    ["overview", () => overview(db, talliesFor(db, "overview", f), f)],
    ["structured-output health", () => health(talliesFor(db, "health", f), f)],
    ["cache", () => cache(db, talliesFor(db, "cache", f), f)],
    ["guard", () => guard(db, talliesFor(db, "guard", f), f, undefined)],
    ["prompt feedback", () => feedback(db, talliesFor(db, "feedback", { ...f, model: undefined }), f)],
    ["traces list", () => listTraces(db, f)],
    ["trace detail", () => traceDetail(db, someId)],
    ["overview, one task", () => overview(db, talliesFor(db, "overview", { ...f, task: TASKS[1] }), { ...f, task: TASKS[1] })],
  ];
  for (const [name, fn] of views) {
    const t = time(fn);
    slowest = Math.max(slowest, t.wall);
    slowestCpu = Math.max(slowestCpu, t.cpu);
    rows.push([window, name, `${t.wall.toFixed(1)} ms`, `${t.cpu.toFixed(1)} ms`]);
  }
  if (window === "24h" || CALLS <= 100_000) {
    // once, and not over a month of a million rows (minutes)
    const c0 = process.cpuUsage();
    const t0 = performance.now();
    stats(db, { since: f.since });
    const c = process.cpuUsage(c0);
    rows.push([
      window,
      "(baseline) stats() over raw rows, as `ballast stats`; one run",
      `${(performance.now() - t0).toFixed(1)} ms`,
      `${((c.user + c.system) / 1000).toFixed(1)} ms`,
    ]);
  }
}
db.close();

const files = await bundleFrontEnd();
const bytes = [...files.values()].reduce((s, b) => s + b.length, 0);
const gzipped = [...files.values()].reduce((s, b) => s + gzipSync(b).length, 0);
const bundleKb = Math.round((bytes / 1024) * 10) / 10;

console.log(table(["window", "view (its data queries)", "wall, median of 5", "CPU, median of 5"], rows));
console.log(
  `load average while measuring: ${loadavg()
    .map((l) => l.toFixed(1))
    .join(" ")} on ${availableParallelism()} cores`,
);
console.log(
  `\nfront end: ${[...files].map(([n, b]) => `${n} ${(b.length / 1024).toFixed(1)} KB`).join(", ")}; ${bundleKb} KB in all, ${(gzipped / 1024).toFixed(1)} KB gzipped`,
);
if (!process.argv[3]) rmSync(dir, { recursive: true, force: true });
console.log(
  `RESULT ui ${JSON.stringify({ calls: CALLS, slowest_view_ms: Math.round(slowest * 10) / 10, slowest_view_cpu_ms: Math.round(slowestCpu * 10) / 10, bundle_kb: bundleKb })}`,
);
