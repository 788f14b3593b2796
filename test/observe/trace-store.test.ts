import assert from "node:assert/strict";
import { mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { test } from "node:test";
import Database from "better-sqlite3";
import { createTraceStore, openTraceDb } from "../../src/observe/trace-store/index.js";
import { getCall, listCalls, stats } from "../../src/observe/trace-store/queries.js";
import { traceStoreFromOption } from "../../src/observe/trace-store/from-option.js";
import { attempt, callEvents, usage } from "./helpers.js";

const dir = mkdtempSync(join(tmpdir(), "ballast-traces-"));
let n = 0;
const dbPath = () => join(dir, `t${++n}`, "traces.db");
type Row = Record<string, unknown>;

test("stores calls, attempts and events with tokens, cost, flags and content", () => {
  const path = dbPath();
  const store = createTraceStore({ path, flushMs: 60_000 });
  const t = Date.now();
  const a1 = attempt({
    id: "c1-a1",
    startedAt: t + 1,
    outcome: "invalid",
    usage: usage({ inputTokens: 1000, cachedInputTokens: 800, outputTokens: 50 }),
    costUsd: 0.0002,
    responseText: '{"total": "x"}',
    error: { kind: "invalid_output", message: "total: expected number" },
  });
  const a2 = attempt({
    id: "c1-a2",
    kind: "reask",
    startedAt: t + 200,
    outcome: "repaired",
    recoverySteps: ["strip_fences"],
    costUsd: 0.0003,
    responseText: '```json\n{"total":1}\n```',
  });
  const a3 = attempt({
    id: "c1-a3",
    kind: "hedge",
    startedAt: t + 210,
    outcome: "aborted",
    costUsd: 0.0001,
    usage: usage({ inputTokens: 100 }),
  });
  for (const e of callEvents({
    callId: "c1",
    ts: t,
    attempts: [a1, a2, a3],
    source: "repaired",
    model: "gpt-4o-mini",
    extra: [
      { type: "reask", callId: "c1", ts: t + 199, attemptId: "c1-a1", model: "gpt-4o-mini", issues: 1 },
      { type: "hedge", callId: "c1", ts: t + 210, model: "gpt-4o-mini", afterMs: 10 },
      { type: "breaker", callId: "c1", ts: t + 220, model: "gpt-4o-mini", from: "closed", to: "open" },
      { type: "leak", callId: "c1", ts: t + 230, model: "gpt-4o-mini", outcome: "silent" },
      { type: "prompt_feedback", callId: "c1", ts: t + 240, task: "extract", feedback: "say which currency" },
      { type: "cache_buster", callId: "c1", ts: t + 250, task: "extract", section: "examples", tokensLost: 900 },
    ],
  }))
    store.listener(e);
  store.close();
  assert.equal(store.warnings, 0);

  const db = openTraceDb(path);
  const call = db.prepare("SELECT * FROM calls WHERE id = 'c1'").get() as Row;
  assert.equal(call.task, "extract");
  assert.equal(call.source, "repaired");
  assert.equal(call.repaired, 1);
  assert.equal(call.reasked, 1);
  assert.equal(call.hedges, 1);
  assert.equal(call.fallback, 0);
  assert.equal(call.attempts, 3);
  assert.equal(call.leak, "silent");
  assert.equal(call.prompt_feedback, "say which currency");
  assert.equal(call.input_tokens, 1200);
  assert.equal(call.cached_input_tokens, 800);
  assert.ok(Math.abs((call.cost_usd as number) - 0.0006) < 1e-12);
  assert.equal(call.temperature, 0.2);
  assert.match(call.prompt as string, /Invoice 42 for ACME/);
  assert.equal(call.value, '{"ok":true}');
  const attempts = db.prepare("SELECT * FROM attempts WHERE call_id = 'c1' ORDER BY seq").all() as Row[];
  assert.deepEqual(
    attempts.map((a) => [a.seq, a.kind, a.outcome]),
    [
      [1, "initial", "invalid"],
      [2, "reask", "repaired"],
      [3, "hedge", "aborted"],
    ],
  );
  assert.equal(attempts[0]!.error_kind, "invalid_output");
  assert.equal(attempts[0]!.error_message, "total: expected number");
  assert.equal(attempts[0]!.response_text, '{"total": "x"}');
  assert.equal(attempts[1]!.recovery_steps, '["strip_fences"]');
  const types = (db.prepare("SELECT type FROM events WHERE call_id = 'c1' ORDER BY seq").all() as Row[]).map((r) => r.type);
  assert.deepEqual(types, ["recovery", "reask", "hedge", "breaker", "leak", "prompt_feedback", "cache_buster"]);
  db.close();
});

test("fallback and hardcoded flags", () => {
  const path = dbPath();
  const store = createTraceStore({ path });
  const t = Date.now();
  const fail = attempt({ id: "f-a1", startedAt: t, outcome: "timeout", error: { kind: "timeout", message: "slow" } });
  const ok = attempt({ id: "f-a2", startedAt: t + 10, rung: 1, model: "claude-haiku-4-5", provider: "anthropic" });
  for (const e of callEvents({ callId: "f", ts: t, attempts: [fail, ok], models: ["gpt-4o-mini", "claude-haiku-4-5"] })) store.listener(e);
  for (const e of callEvents({ callId: "h", ts: t, attempts: [fail], source: "fallback", model: "hardcoded_fallback" })) store.listener(e);
  store.close();
  const db = openTraceDb(path);
  const rows = db.prepare("SELECT id, fallback, hardcoded, model FROM calls ORDER BY id").all();
  assert.deepEqual(rows, [
    { id: "f", fallback: 1, hardcoded: 0, model: "claude-haiku-4-5" },
    { id: "h", fallback: 1, hardcoded: 1, model: "hardcoded_fallback" },
  ]);
  db.close();
});

test("API keys, bearer tokens and the call's secret are always redacted; the user hook runs too", () => {
  const path = dbPath();
  const store = createTraceStore({ path, redact: (s) => s.replace(/ACME/g, "[CLIENT]"), secrets: ["global-secret-123"] });
  const t = Date.now();
  const leaky =
    "key sk-ant-api03-abcdefghijklmnopqrstuvwxyz and sk-proj-ABCDEFGHIJKLMNOPQRST, Authorization: Bearer eyJhbGciOi.payload.sig, pin 987654321, global-secret-123";
  store.redactSecret("r1", "987654321");
  const events = callEvents({
    callId: "r1",
    ts: t,
    prompt: `ACME ${leaky}`,
    attempts: [attempt({ id: "r1-a1", startedAt: t, responseText: leaky })],
  });
  // the secret may also arrive on call_start
  const e2 = callEvents({ callId: "r2", ts: t, prompt: "my from-call-start-secret here" });
  for (const e of [...events, { ...e2[0]!, secret: "from-call-start-secret" } as unknown as (typeof events)[number], ...e2.slice(1)])
    store.listener(e);
  store.close();
  const db = openTraceDb(path);
  const all = JSON.stringify([db.prepare("SELECT prompt, value FROM calls").all(), db.prepare("SELECT response_text FROM attempts").all()]);
  for (const bad of ["sk-ant-api03", "sk-proj-ABC", "eyJhbGciOi", "987654321", "global-secret-123", "from-call-start-secret", "ACME"]) {
    assert.ok(!all.includes(bad), `${bad} leaked into the store`);
  }
  assert.match(all, /\[REDACTED\]/);
  assert.match(all, /\[CLIENT\]/);
  db.close();
});

test("the same reply text in two calls is redacted with each call's own secrets", () => {
  const path = dbPath();
  const store = createTraceStore({ path });
  const t = Date.now();
  const reply = '{"note":"pin 24681357"}';
  store.redactSecret("s-b", "24681357");
  for (const callId of ["s-a", "s-b", "s-c"]) {
    const events = callEvents({ callId, ts: t, attempts: [attempt({ id: `${callId}.1`, startedAt: t, responseText: reply })] });
    const end = events.at(-1)!;
    if (end.type === "call_end") end.result.value = { note: "pin 24681357" }; // the value's JSON is the reply text
    for (const e of events) store.listener(e);
  }
  store.close();
  const db = openTraceDb(path);
  const rows = db.prepare("SELECT c.id, c.value, a.response_text FROM calls c JOIN attempts a ON a.call_pk = c.pk ORDER BY c.id").all();
  assert.deepEqual(rows, [
    { id: "s-a", value: reply, response_text: reply },
    { id: "s-b", value: '{"note":"pin [REDACTED]"}', response_text: '{"note":"pin [REDACTED]"}' },
    { id: "s-c", value: reply, response_text: reply },
  ]);
  db.close();
});

test("metadata mode keeps no prompt, response, value or message text", () => {
  const path = dbPath();
  const store = createTraceStore({ path, content: "metadata" });
  const t = Date.now();
  const a = attempt({
    id: "m-a1",
    startedAt: t,
    outcome: "invalid",
    responseText: "SECRET-RESPONSE",
    error: { kind: "invalid_output", message: "SECRET-MSG", issues: [] },
  });
  for (const e of callEvents({
    callId: "m",
    ts: t,
    prompt: "SECRET-PROMPT",
    attempts: [a, attempt({ id: "m-a2", startedAt: t + 5, responseText: "SECRET-RESPONSE" })],
    extra: [{ type: "prompt_feedback", callId: "m", ts: t, task: "extract", feedback: "SECRET-FEEDBACK" }],
  }))
    store.listener(e);
  store.close();
  const db = openTraceDb(path);
  const dump = JSON.stringify([
    db.prepare("SELECT * FROM calls").all(),
    db.prepare("SELECT * FROM attempts").all(),
    db.prepare("SELECT * FROM events").all(),
  ]);
  assert.ok(!dump.includes("SECRET"), dump);
  const call = db.prepare("SELECT attempts, input_tokens, cost_usd FROM calls").get() as Row;
  assert.equal(call.attempts, 2);
  assert.equal(call.input_tokens, 200);
  db.close();
});

test("retention: maxCalls keeps the newest, maxAgeDays drops old calls with their attempts", () => {
  const path = dbPath();
  const now = Date.now();
  let s = createTraceStore({ path, retention: { maxAgeDays: 0, maxCalls: 0 } });
  for (let i = 0; i < 10; i++)
    for (const e of callEvents({
      callId: `k${i}`,
      ts: now - i * 3_600_000,
      attempts: [attempt({ id: `k${i}-a`, startedAt: now - i * 3_600_000 })],
    }))
      s.listener(e);
  for (const e of callEvents({
    callId: "old",
    ts: now - 40 * 86_400_000,
    attempts: [attempt({ id: "old-a", startedAt: now - 40 * 86_400_000 })],
  })) {
    if (e.type === "call_start")
      e.sections = [{ name: "instructions", role: "system", content: "only the old call uses this. ".repeat(20), stable: true }];
    s.listener(e);
  }
  s.close();
  s = createTraceStore({ path, retention: { maxAgeDays: 30, maxCalls: 4 } });
  s.listener({ type: "warning", callId: "k0", ts: now, message: "reopen" }); // something to flush, so the store opens
  s.close();
  const db = openTraceDb(path);
  const ids = (db.prepare("SELECT id FROM calls ORDER BY started_at DESC").all() as Row[]).map((r) => r.id);
  assert.deepEqual(ids, ["k0", "k1", "k2", "k3"]);
  assert.equal((db.prepare("SELECT COUNT(*) n FROM attempts").get() as Row).n, 4);
  assert.equal((db.prepare("SELECT COUNT(*) n FROM texts").get() as Row).n, 0);
  db.close();
});

test("unwritable path: degrades to one warning and a counter, never throws", () => {
  const file = join(dir, "a-file");
  writeFileSync(file, "x");
  const messages: string[] = [];
  const store = createTraceStore({ path: join(file, "sub", "traces.db"), onWarning: (m) => messages.push(m) });
  for (let i = 0; i < 3; i++) for (const e of callEvents({ callId: `u${i}` })) assert.doesNotThrow(() => store.listener(e));
  assert.doesNotThrow(() => store.flush());
  for (const e of callEvents({ callId: "u9" })) store.listener(e);
  assert.doesNotThrow(() => store.close());
  assert.equal(messages.length, 1);
  assert.equal(store.warnings, 1);
  assert.ok(store.dropped >= 9);
});

test("a locked file: the batch stays buffered and is retried once the lock goes; a close while locked drops and counts", () => {
  const path = dbPath();
  const messages: string[] = [];
  const store = createTraceStore({ path, onWarning: (m) => messages.push(m) });
  for (const e of callEvents({ callId: "w1" })) store.listener(e);
  store.flush();
  const other = new Database(path);
  other.exec("BEGIN EXCLUSIVE");
  for (const e of callEvents({ callId: "w2" })) store.listener(e);
  assert.doesNotThrow(() => store.flush());
  assert.equal(store.dropped, 0, "busy: kept for a retry, not dropped");
  assert.equal(messages.length, 1);
  assert.match(messages[0]!, /locked|busy/i);
  other.exec("ROLLBACK");
  for (const e of callEvents({ callId: "w3" })) store.listener(e);
  store.close(); // the final flush writes what waited
  const db = openTraceDb(path);
  assert.deepEqual(
    (db.prepare("SELECT id FROM calls ORDER BY id").all() as Row[]).map((r) => r.id),
    ["w1", "w2", "w3"],
  );
  db.close();

  other.close();
});

test("rows still refused after busyRetryMs are dropped, counted, warned and shown by stats once the lock goes", async () => {
  const path = dbPath();
  const messages: string[] = [];
  const store = createTraceStore({ path, busyRetryMs: 50, onWarning: (m) => messages.push(m) });
  for (const e of callEvents({ callId: "d1" })) store.listener(e);
  store.flush(); // creates the file
  const other = new Database(path);
  other.exec("BEGIN EXCLUSIVE");
  const lost = callEvents({ callId: "d2" }).filter((e) => e.type !== "attempt_start");
  for (const e of lost) store.listener(e);
  store.flush(); // refused: kept, a retry is scheduled
  for (let i = 0; i < 100 && store.dropped === 0; i++) await new Promise((r) => setTimeout(r, 50));
  assert.equal(store.dropped, lost.length, "dropped after the retry window");
  assert.ok(
    messages.some((m) => /dropped/.test(m)),
    messages.join("\n"),
  );
  other.exec("ROLLBACK");
  other.close();
  for (const e of callEvents({ callId: "d3" })) store.listener(e);
  store.close();
  const db = openTraceDb(path);
  assert.equal(stats(db).dropped_events, lost.length);
  assert.deepEqual(
    (db.prepare("SELECT id FROM calls ORDER BY id").all() as Row[]).map((r) => r.id),
    ["d1", "d3"],
  );
  db.close();
});

test("events are buffered, not written, until a flush (the hot path does no I/O)", () => {
  const path = dbPath();
  const store = createTraceStore({ path, flushMs: 60_000, batchSize: 10_000 });
  for (const e of callEvents({ callId: "b1" })) store.listener(e);
  store.flush();
  for (const e of callEvents({ callId: "b2" })) store.listener(e);
  const db = openTraceDb(path);
  assert.equal((db.prepare("SELECT COUNT(*) n FROM calls").get() as Row).n, 1);
  store.close();
  assert.equal((db.prepare("SELECT COUNT(*) n FROM calls").get() as Row).n, 2);
  db.close();
});

test('call_error closes a rejected call; client-level breaker events (callId "") create no call row', () => {
  const path = dbPath();
  const store = createTraceStore({ path });
  const t = Date.now();
  const failed = attempt({
    id: "e-a1",
    startedAt: t,
    outcome: "http_error",
    error: { kind: "provider_http", message: "500", status: 500 },
  });
  const [start, ...rest] = callEvents({ callId: "e1", ts: t, attempts: [failed], end: false });
  for (const e of [start!, ...rest]) store.listener(e);
  store.listener({ type: "breaker", callId: "", ts: t + 5, model: "gpt-4o-mini", from: "closed", to: "open" });
  store.listener({
    type: "call_error",
    callId: "e1",
    ts: t + 150,
    task: "extract",
    error: { kind: "all_attempts_failed", message: "every attempt failed" },
    attempts: [failed],
    usage: failed.usage,
    costUsd: failed.costUsd,
    latencyMs: 150,
  });
  store.close();
  const db = openTraceDb(path);
  assert.deepEqual(db.prepare("SELECT id, error_kind, latency_ms, source, input_tokens FROM calls").all(), [
    { id: "e1", error_kind: "all_attempts_failed", latency_ms: 150, source: null, input_tokens: 100 },
  ]);
  assert.deepEqual(db.prepare("SELECT call_id, type, model FROM events WHERE type = 'breaker'").all(), [
    { call_id: "", type: "breaker", model: "gpt-4o-mini" },
  ]);
  const errors = JSON.parse((db.prepare("SELECT errors FROM calls").get() as Row).errors as string);
  assert.deepEqual(
    errors.map((e: { kind: string }) => e.kind),
    ["provider_http", "all_attempts_failed"],
  );
  db.close();
});

test("an attempt that ends after its call (a hedge loser) is added to the call's totals", () => {
  const path = dbPath();
  const store = createTraceStore({ path });
  const t = Date.now();
  const loserPlaceholder = attempt({ id: "late-a1", startedAt: t, outcome: "error", costUsd: null, usage: usage() });
  const winner = attempt({
    id: "late-a2",
    kind: "hedge",
    startedAt: t + 30,
    costUsd: 0.002,
    usage: usage({ inputTokens: 700, outputTokens: 30 }),
  });
  const events = callEvents({ callId: "late", ts: t, attempts: [winner] });
  const end = events.pop()!;
  if (end.type === "call_end") end.result.attempts = [loserPlaceholder, winner]; // the loser is still in flight
  for (const e of [...events, end]) store.listener(e);
  store.flush();
  const loser = { ...loserPlaceholder, outcome: "aborted" as const, latencyMs: 90, costUsd: 0.0005, usage: usage({ inputTokens: 500 }) };
  store.listener({ type: "attempt_end", callId: "late", ts: t + 90, attempt: loser });
  store.close();
  const db = openTraceDb(path);
  const c = db.prepare("SELECT attempts, input_tokens, cost_usd FROM calls WHERE id = 'late'").get() as Row;
  assert.equal(c.attempts, 2);
  assert.equal(c.input_tokens, 1200);
  assert.ok(Math.abs((c.cost_usd as number) - 0.0025) < 1e-12);
  db.close();
});

test("stable prompt sections are stored once and inflated on read; a secret inside one is still redacted", () => {
  const path = dbPath();
  const store = createTraceStore({ path });
  const t = Date.now();
  const instructions = "You extract invoice fields. Follow the schema exactly. ".repeat(20);
  const withSections = (callId: string, input: string) => {
    const events = callEvents({ callId, ts: t, prompt: input });
    const start = events[0]!;
    if (start.type === "call_start")
      start.sections = [
        { name: "instructions", role: "system", content: instructions, stable: true },
        { name: "input", role: "user", content: input, stable: false },
      ];
    return events;
  };
  for (let i = 0; i < 5; i++) for (const e of withSections(`s${i}`, `invoice ${i}`)) store.listener(e);
  store.redactSecret("s5", "Follow the schema");
  for (const e of withSections("s5", "invoice 5")) store.listener(e);
  store.close();
  const db = openTraceDb(path);
  assert.equal((db.prepare("SELECT COUNT(*) n FROM texts").get() as Row).n, 1);
  assert.ok(((db.prepare("SELECT prompt FROM calls WHERE id = 's3'").get() as Row).prompt as string).length < 200);
  const s3 = getCall(db, "s3")!;
  assert.deepEqual(s3.call.prompt, [
    { name: "instructions", role: "system", stable: true, content: instructions },
    { name: "input", role: "user", stable: false, content: "invoice 3" },
  ]);
  const s5 = getCall(db, "s5")!;
  const first = (s5.call.prompt as Array<{ content: string }>)[0]!.content;
  assert.ok(!first.includes("Follow the schema") && first.includes("[REDACTED]"));
  db.close();
});

test("traceStoreFromOption: false -> none, a path -> one store shared per file, options -> a store of their own", () => {
  const path = dbPath();
  assert.equal(traceStoreFromOption(false), null);
  const a = traceStoreFromOption(path)!;
  const b = traceStoreFromOption(path)!;
  assert.equal(a, b);
  assert.equal(a.path, path);
  const own = traceStoreFromOption({ path, content: "metadata" })!;
  assert.notEqual(own, a);
  own.close();
  a.close();
  const c = traceStoreFromOption(path)!;
  assert.notEqual(c, a); // a closed store is not handed out again
  c.close();
});

test("a call written across several flushes is stored exactly like one written in a single batch", () => {
  const path = dbPath();
  const store = createTraceStore({ path, flushMs: 60_000 });
  const t = Date.now();
  const events = (callId: string) => {
    const a1 = attempt({
      id: `${callId}.1`,
      startedAt: t + 1,
      outcome: "invalid",
      costUsd: 0.0002,
      responseText: "{",
      error: { kind: "invalid_output", message: "bad" },
    });
    const a2 = attempt({
      id: `${callId}.2`,
      kind: "reask",
      startedAt: t + 100,
      outcome: "repaired",
      recoverySteps: ["close_brackets"],
      responseText: '{"ok":true',
    });
    const a3 = attempt({ id: `${callId}.3`, kind: "hedge", startedAt: t + 120, outcome: "aborted", costUsd: 0.0001 });
    return callEvents({
      callId,
      ts: t,
      attempts: [a1, a2, a3],
      source: "repaired",
      extra: [
        { type: "reask", callId, ts: t + 99, attemptId: a1.id, model: "gpt-4o-mini", issues: 1 },
        { type: "hedge", callId, ts: t + 120, model: "gpt-4o-mini", afterMs: 20 },
        { type: "leak", callId, ts: t + 130, model: "gpt-4o-mini", outcome: "self_reported" },
        { type: "prompt_feedback", callId, ts: t + 140, task: "extract", feedback: "name the currency" },
      ],
    });
  };
  for (const e of events("whole")) store.listener(e);
  store.flush();
  const midway: Row[] = [];
  for (const e of events("split")) {
    store.listener(e);
    store.flush(); // one event per transaction: the row is written at call_start and completed in place
    if (e.type === "attempt_end" && e.attempt.id === "split.2") {
      const db = openTraceDb(path);
      midway.push(db.prepare("SELECT ended_at FROM calls WHERE id = 'split'").get() as Row);
      midway.push(...(db.prepare("SELECT seq FROM attempts WHERE call_id = 'split' ORDER BY seq").all() as Row[]));
      db.close();
    }
  }
  store.close();
  assert.equal(store.warnings, 0);
  // while it ran, the store showed a started call with the attempts so far
  assert.deepEqual(midway, [{ ended_at: null }, { seq: 1 }, { seq: 2 }]);

  const db = openTraceDb(path);
  const strip = (trace: ReturnType<typeof getCall>, callId: string) => JSON.parse(JSON.stringify(trace).replaceAll(callId, "ID"));
  const whole = strip(getCall(db, "whole"), "whole");
  assert.deepEqual(strip(getCall(db, "split"), "split"), whole);
  assert.equal(whole.call.attempts, 3);
  assert.equal(whole.call.reasked, 1);
  assert.equal(whole.call.hedges, 1);
  assert.equal(whole.call.leak, "self_reported");
  assert.equal(whole.call.prompt_feedback, "name the currency");
  assert.equal(whole.call.ended_at, t + 221);
  assert.deepEqual(
    whole.attempts.map((a: Row) => [a.seq, a.kind, a.outcome, a.recovery_steps]),
    [
      [1, "initial", "invalid", []],
      [2, "reask", "repaired", ["close_brackets"]],
      [3, "hedge", "aborted", []],
    ],
  );
  db.close();
});

// Version 1 of the schema, as the previous release created it (comments dropped).
const schemaV1 = `
CREATE TABLE calls (id TEXT PRIMARY KEY, task TEXT, operation TEXT, started_at INTEGER NOT NULL, ended_at INTEGER, latency_ms REAL, models TEXT,
  model TEXT, source TEXT, error_kind TEXT, fallback INTEGER NOT NULL DEFAULT 0, hardcoded INTEGER NOT NULL DEFAULT 0,
  repaired INTEGER NOT NULL DEFAULT 0, reasked INTEGER NOT NULL DEFAULT 0, hedges INTEGER NOT NULL DEFAULT 0, attempts INTEGER NOT NULL DEFAULT 0,
  input_tokens INTEGER NOT NULL DEFAULT 0, output_tokens INTEGER NOT NULL DEFAULT 0, cached_input_tokens INTEGER NOT NULL DEFAULT 0,
  cache_write_tokens INTEGER NOT NULL DEFAULT 0, reasoning_tokens INTEGER NOT NULL DEFAULT 0, cost_usd REAL, temperature REAL,
  frequency_penalty REAL, leak TEXT, private_context TEXT, prompt TEXT, value TEXT, prompt_feedback TEXT, errors TEXT);
CREATE INDEX calls_started ON calls(started_at);
CREATE INDEX calls_model ON calls(model);
CREATE TABLE attempts (id TEXT PRIMARY KEY, call_id TEXT NOT NULL, seq INTEGER NOT NULL, model TEXT NOT NULL, provider TEXT NOT NULL,
  rung INTEGER NOT NULL, kind TEXT NOT NULL, outcome TEXT NOT NULL, started_at INTEGER NOT NULL, latency_ms REAL NOT NULL,
  input_tokens INTEGER NOT NULL, output_tokens INTEGER NOT NULL, cached_input_tokens INTEGER NOT NULL, cache_write_tokens INTEGER NOT NULL,
  reasoning_tokens INTEGER NOT NULL, cost_usd REAL, finish_reason TEXT, recovery_steps TEXT, error_kind TEXT, error_status INTEGER,
  error_message TEXT, issues TEXT, response_text TEXT);
CREATE INDEX attempts_call ON attempts(call_id);
CREATE INDEX attempts_started ON attempts(started_at);
CREATE TABLE events (seq INTEGER PRIMARY KEY AUTOINCREMENT, call_id TEXT NOT NULL, ts INTEGER NOT NULL, type TEXT NOT NULL, model TEXT, data TEXT);
CREATE INDEX events_call ON events(call_id);
CREATE INDEX events_type_ts ON events(type, ts);
CREATE TABLE texts (hash TEXT PRIMARY KEY, content TEXT NOT NULL);
CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT);
INSERT INTO meta(key, value) VALUES ('schema_version', '1');`;

/** A store as version 1 wrote it: two finished calls (one with a shared instructions text), their attempts, a hedge event. */
function writeV1Store(path: string, t: number): void {
  mkdirSync(dirname(path), { recursive: true });
  const db = new Database(path);
  db.pragma("journal_mode = WAL");
  db.exec(schemaV1);
  db.prepare("INSERT INTO texts VALUES ('h1', 'You classify reviews. Answer with the schema.')").run();
  const call =
    db.prepare(`INSERT INTO calls (id, task, operation, started_at, ended_at, latency_ms, models, model, source, fallback, hedges, attempts,
    input_tokens, output_tokens, cost_usd, temperature, prompt, value, errors) VALUES (?, 'review', 'generate', ?, ?, ?, ?, ?, 'model', ?, ?, ?, ?, ?, ?, 0, ?, ?, '[]')`);
  const attempt =
    db.prepare(`INSERT INTO attempts (id, call_id, seq, model, provider, rung, kind, outcome, started_at, latency_ms, input_tokens,
    output_tokens, cached_input_tokens, cache_write_tokens, reasoning_tokens, cost_usd, finish_reason, recovery_steps, error_kind, response_text)
    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 0, 0, 0, ?, 'stop', '[]', ?, ?)`);
  const prompt = JSON.stringify([
    { name: "instructions", role: "system", stable: true, ref: "h1" },
    { name: "input", role: "user", stable: false, content: "great phone" },
  ]);
  call.run(
    "old-1",
    t,
    t + 300,
    300,
    '["gpt-4o-mini","claude-haiku-4-5"]',
    "claude-haiku-4-5",
    1,
    0,
    2,
    300,
    40,
    0.003,
    prompt,
    '{"label":"positive"}',
  );
  attempt.run("old-1.1", "old-1", 1, "gpt-4o-mini", "openai", 0, "initial", "timeout", t + 1, 200, 100, 0, 0.001, "timeout", null);
  attempt.run(
    "old-1.2",
    "old-1",
    2,
    "claude-haiku-4-5",
    "anthropic",
    1,
    "initial",
    "ok",
    t + 201,
    99,
    200,
    40,
    0.002,
    null,
    '{"label":"positive"}',
  );
  call.run("old-2", t + 1000, t + 1100, 100, '["gpt-4o-mini"]', "gpt-4o-mini", 0, 1, 2, 150, 30, 0.002, prompt, '{"label":"negative"}');
  attempt.run(
    "old-2-a",
    "old-2",
    1,
    "gpt-4o-mini",
    "openai",
    0,
    "initial",
    "ok",
    t + 1001,
    99,
    100,
    30,
    0.0015,
    null,
    '{"label":"negative"}',
  );
  attempt.run("old-2-b", "old-2", 1, "gpt-4o-mini", "openai", 0, "hedge", "aborted", t + 1050, 50, 50, 0, 0.0005, null, null); // a v1 seq clash
  db.prepare("INSERT INTO events (call_id, ts, type, model, data) VALUES ('old-2', ?, 'hedge', 'gpt-4o-mini', '{\"afterMs\":40}')").run(
    t + 1040,
  );
  db.close();
}

test("a store written by version 1 is readable as it is, and migrated (nothing lost) when a writer opens it", () => {
  const path = dbPath();
  const t = Date.now() - 60_000;
  writeV1Store(path, t);

  // the CLI opens read-only: the old layout is read as it is
  let db = openTraceDb(path);
  const before = {
    one: getCall(db, "old-1")!,
    two: getCall(db, "old-2")!,
    stats: stats(db),
    byModel: listCalls(db, { model: "gpt-4o-mini" }),
  };
  db.close();
  assert.deepEqual(
    before.one.attempts.map((a) => [a.seq, a.model, a.outcome]),
    [
      [1, "gpt-4o-mini", "timeout"],
      [2, "claude-haiku-4-5", "ok"],
    ],
  );
  assert.equal((before.one.call.prompt as Array<{ content: string }>)[0]!.content, "You classify reviews. Answer with the schema.");
  assert.equal(before.stats.calls, 2);
  assert.equal(before.stats.models.find((m) => m.model === "gpt-4o-mini")!.attempts, 3);
  assert.deepEqual(
    before.byModel.map((c) => c.id),
    ["old-2", "old-1"],
  );

  // a writer migrates it, then writes new calls beside the old ones
  const store = createTraceStore({ path });
  for (const e of callEvents({ callId: "new-1", ts: t + 2000 })) store.listener(e);
  store.close();
  assert.equal(store.warnings, 0);

  db = openTraceDb(path);
  assert.equal((db.prepare("SELECT value FROM meta WHERE key = 'schema_version'").get() as Row).value, "3");
  const two = getCall(db, "old-2")!;
  assert.deepEqual(getCall(db, "old-1"), before.one);
  // the two v1 attempts that shared seq 1 are numbered 1 and 2, in the order they started
  assert.deepEqual(
    two.attempts.map((a) => [a.seq, a.id]),
    [
      [1, "old-2-a"],
      [2, "old-2-b"],
    ],
  );
  assert.deepEqual(
    { ...two, attempts: two.attempts.map(({ seq: _, ...a }) => a) },
    { ...before.two, attempts: before.two.attempts.map(({ seq: _, ...a }) => a) },
  );
  const after = stats(db);
  assert.equal(after.calls, 3);
  assert.equal(after.models.find((m) => m.model === "gpt-4o-mini")!.attempts, 4);
  assert.deepEqual(
    listCalls(db, { model: "claude-haiku-4-5" }).map((c) => c.id),
    ["old-1"],
  );
  assert.equal(getCall(db, "new-1")!.attempts.length, 1);
  assert.equal(db.pragma("integrity_check", { simple: true }), "ok");
  db.close();
});

test("a store written by a newer version is left alone: one warning, nothing written", () => {
  const path = dbPath();
  const store = createTraceStore({ path });
  for (const e of callEvents({ callId: "n1" })) store.listener(e);
  store.close();
  const raw = new Database(path);
  raw.prepare("UPDATE meta SET value = '99' WHERE key = 'schema_version'").run();
  raw.close();
  const messages: string[] = [];
  const later = createTraceStore({ path, onWarning: (m) => messages.push(m) });
  for (const e of callEvents({ callId: "n2" })) later.listener(e);
  later.close();
  assert.equal(messages.length, 1);
  assert.match(messages[0]!, /newer Ballast/);
  const db = openTraceDb(path);
  assert.deepEqual(
    (db.prepare("SELECT id FROM calls").all() as Row[]).map((r) => r.id),
    ["n1"],
  );
  db.close();
});

test("a trace path under /proc or /sys is refused at once (a recursive mkdir spins there): one warning, no hang", () => {
  for (const path of ["/proc/self/ballast/x/traces.db", "/sys/ballast/traces.db"]) {
    const messages: string[] = [];
    const store = createTraceStore({ path, onWarning: (m) => messages.push(m) });
    for (const e of callEvents({ callId: "p1" })) store.listener(e);
    store.close();
    assert.equal(store.warnings, 1);
    assert.match(messages[0]!, /kernel file system/);
    assert.ok(store.dropped > 0);
  }
});

test("missing parent directories are created one level at a time", () => {
  const path = join(mkdtempSync(join(tmpdir(), "ballast-parents-")), "a", "b", "c", "traces.db");
  const store = createTraceStore({ path });
  for (const e of callEvents({ callId: "deep" })) store.listener(e);
  store.close();
  assert.equal(store.warnings, 0);
  const db = openTraceDb(path);
  assert.equal((db.prepare("SELECT COUNT(*) n FROM calls").get() as Row).n, 1);
  db.close();
});
