// End to end through createBallast, the real provider adapters and the loopback simulator: the trace store and
// r.costUsd carry exact token and dollar figures (uncached and cached, OpenAI and Anthropic, a hedged call).
import assert from "node:assert/strict";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, test } from "node:test";
import { z } from "zod";
import { createBallast } from "ballast";
import { anthropic } from "ballast/anthropic";
import { openai } from "ballast/openai";
import { type Simulator, startSimulator } from "ballast/testing";
import { createTraceStore, openTraceDb, type TraceStore } from "../../src/observe/trace-store/index.js";

const Answer = z.object({ answer: z.string(), confidence: z.number() });
const reply = { answer: "blue", confidence: 0.9 };
// catalogue rates, $ per million tokens
const GPT_4O_MINI = { input: 0.15, cached: 0.075, output: 0.6 };
const HAIKU_4_5 = { input: 1, cached: 0.1, write: 1.25, output: 5 };

let sim: Simulator;
let store: TraceStore;
let path: string;
before(async () => {
  sim = await startSimulator({ seed: 1 });
  path = join(mkdtempSync(join(tmpdir(), "ballast-e2e-")), "traces.db");
  store = createTraceStore({ path });
});
after(async () => {
  store.close();
  await sim.close();
});

const gpt = () => openai("gpt-4o-mini", { baseURL: `${sim.url}/v1`, apiKey: "test" });
const haiku = () => anthropic("claude-haiku-4-5", { baseURL: sim.url, apiKey: "test" });
const client = (models: ReturnType<typeof gpt>[], extra: Record<string, unknown> = {}) =>
  createBallast({ models, onEvent: store.listener, breaker: false, ...extra });
const close = (a: number | null, b: number) => assert.ok(a !== null && Math.abs(a - b) < 1e-12, `${a} != ${b}`);
type Row = Record<string, number | string | null>;
const row = (sql: string, ...args: unknown[]) => {
  store.flush();
  const db = openTraceDb(path);
  try {
    return db.prepare(sql).get(...args) as Row;
  } finally {
    db.close();
  }
};

test("OpenAI, uncached: exact tokens and dollars in the result and the store", async () => {
  sim.script("gpt-4o-mini", [{ json: reply, usage: { inputTokens: 1200, outputTokens: 80 } }]);
  const r = await client([gpt()]).generate({ schema: Answer, input: "Why is the sky blue?" });
  const expected = (1200 * GPT_4O_MINI.input + 80 * GPT_4O_MINI.output) / 1e6;
  close(r.costUsd, expected);
  const c = row("SELECT * FROM calls WHERE id = ?", r.callId);
  assert.equal(c.input_tokens, 1200);
  assert.equal(c.output_tokens, 80);
  assert.equal(c.cached_input_tokens, 0);
  close(c.cost_usd as number, expected);
});

test("OpenAI, cached prefix: cached tokens (inside input tokens) cost the cached rate", async () => {
  sim.script("gpt-4o-mini", [{ json: reply, usage: { inputTokens: 3000, cachedInputTokens: 2048, outputTokens: 100 } }]);
  const r = await client([gpt()]).generate({ schema: Answer, input: "again" });
  const expected = ((3000 - 2048) * GPT_4O_MINI.input + 2048 * GPT_4O_MINI.cached + 100 * GPT_4O_MINI.output) / 1e6;
  close(r.costUsd, expected);
  const a = row("SELECT * FROM attempts WHERE call_id = ?", r.callId);
  assert.equal(a.cached_input_tokens, 2048);
  close(a.cost_usd as number, expected);
});

test("Anthropic, cache write then cache read: each priced at its own rate", async () => {
  sim.script("claude-haiku-4-5", [
    { json: reply, usage: { inputTokens: 2600, cacheWriteTokens: 2500, outputTokens: 40 } },
    { json: reply, usage: { inputTokens: 2600, cachedInputTokens: 2500, outputTokens: 40 } },
  ]);
  const llm = client([haiku()]);
  const first = await llm.generate({ schema: Answer, input: "one" });
  const second = await llm.generate({ schema: Answer, input: "two" });
  assert.equal(first.usage.cacheWriteTokens, 2500);
  assert.equal(second.usage.cachedInputTokens, 2500);
  close(first.costUsd, (100 * HAIKU_4_5.input + 2500 * HAIKU_4_5.write + 40 * HAIKU_4_5.output) / 1e6);
  close(second.costUsd, (100 * HAIKU_4_5.input + 2500 * HAIKU_4_5.cached + 40 * HAIKU_4_5.output) / 1e6);
  const c = row("SELECT cache_write_tokens, cost_usd FROM calls WHERE id = ?", first.callId);
  assert.equal(c.cache_write_tokens, 2500);
  close(c.cost_usd as number, first.costUsd!);
});

let hedged: Awaited<ReturnType<ReturnType<typeof client>["generate"]>> | undefined;
const hedgedCall = async () => {
  if (hedged) return hedged;
  sim.script("gpt-4o-mini", [{ json: reply, delayMs: 400, usage: { inputTokens: 500, outputTokens: 30 } }]);
  sim.script("claude-haiku-4-5", [{ json: reply, usage: { inputTokens: 700, outputTokens: 30 } }]);
  hedged = await client([gpt(), haiku()], { hedge: { afterMs: 30 } }).generate({ schema: Answer, input: "race" });
  return hedged;
};

test("a hedged call is stored with both attempts, the hedge and the fallback flag", async () => {
  const r = await hedgedCall();
  assert.equal(r.model, "claude-haiku-4-5");
  assert.equal(r.attempts.length, 2);
  assert.equal(r.attempts[1]!.kind, "hedge");
  await new Promise((resolve) => setTimeout(resolve, 50)); // the aborted loser may settle after the call returned
  const c = row("SELECT hedges, fallback, attempts, input_tokens FROM calls WHERE id = ?", r.callId);
  assert.equal(c.hedges, 1);
  assert.equal(c.fallback, 1);
  assert.equal(c.attempts, 2);
  assert.equal(c.input_tokens, r.usage.inputTokens);
});

test("a hedged call costs what each attempt consumed (the aborted loser is not an unknown price)", async () => {
  const r = await hedgedCall();
  const [primary] = r.attempts;
  assert.equal(primary!.outcome, "aborted");
  const expected = (primary!.costUsd ?? Number.NaN) + (700 * HAIKU_4_5.input + 30 * HAIKU_4_5.output) / 1e6;
  close(r.costUsd, expected);
  close(row("SELECT cost_usd FROM calls WHERE id = ?", r.callId).cost_usd as number, expected);
});
