// Provider Batch APIs against the simulator: OpenAI Files + Batches and Anthropic Message Batches, with per-row
// failures (re-asked live), an expired batch (harvested, the rest resubmitted), the 50% discount in the
// dollars, and a run stopped while a batch is pending that harvests it on the rerun instead of paying twice.
import assert from "node:assert/strict";
import { join } from "node:path";
import { test } from "node:test";
import Anthropic from "@anthropic-ai/sdk";
import OpenAI from "openai";
import { runBatch, type BatchRowResult } from "../../src/batch/index.js";
import { createBallast } from "../../src/index.js";
import { anthropic } from "../../src/providers/anthropic/index.js";
import { type Simulator, startSimulator } from "../../src/simulator/index.js";
import { FALLBACK, PRICE, rows, tempDir, Ticket, ticketTask } from "./helpers.js";

async function collect<T>(run: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const r of run) out.push(r);
  return out;
}

const posts = (sim: Simulator, path: string) => sim.requests.filter((r) => r.method === "POST" && r.path === path);
const liveCalls = (sim: Simulator, path: string) => posts(sim, path).filter((r) => r.headers["x-ballast-batch"] === undefined);
const priceOf = (r: BatchRowResult) => (r.tokens.input * PRICE.inputPerMTok + r.tokens.output * PRICE.outputPerMTok) / 1e6;

const BATCHES = { completionMs: 30, rowFailureRate: 0.2, expireBatches: 1, expiredShare: 0.4 };

function checkRun(results: BatchRowResult[], n: number) {
  assert.deepEqual(
    results.map((r) => r.id).sort((a, b) => Number(a) - Number(b)),
    rows(n).map((r) => r.id),
    "every row once",
  );
  const viaBatch = results.filter((r) => r.via === "batch");
  const viaLive = results.filter((r) => r.via === "live");
  assert.ok(viaBatch.length >= n / 2, `${viaBatch.length} rows answered by batches`);
  assert.ok(viaLive.length >= 1, "rows that errored in the batch were re-asked live");
  for (const r of viaBatch) assert.ok(Math.abs((r.costUsd as number) - priceOf(r) / 2) < 1e-12, "batch rows at half price");
  for (const r of viaLive) assert.ok(Math.abs((r.costUsd as number) - priceOf(r)) < 1e-12, "live rows at full price");
  assert.ok(results.every((r) => r.source === "model" || r.source === "repaired"));
  return { viaBatch, viaLive };
}

test("OpenAI Batch: files + batches, failed rows re-asked live, the expired batch's rest resubmitted, 50% off", async () => {
  const sim = await startSimulator({ seed: 11, requestLogLimit: 10_000, batches: BATCHES });
  try {
    const task = ticketTask(sim.url, "sim-ob");
    const openai = new OpenAI({ baseURL: `${sim.url}/v1`, apiKey: "x", maxRetries: 0 });
    const events: string[] = [];
    const results = await collect(
      runBatch(task, rows(30), {
        journal: join(tempDir("ob"), "j.db"),
        mode: "batch",
        providerBatch: { openai, pollMs: 20 },
        onEvent: (e) => e.type === "provider_batch" && events.push(e.status),
      }),
    );
    const { viaLive } = checkRun(results, 30);
    assert.equal(posts(sim, "/v1/files").length, 2, "two uploads: the batch, then its expired rows");
    assert.equal(posts(sim, "/v1/batches").length, 2);
    assert.deepEqual(events, ["submitted", "expired", "submitted", "completed"]);
    assert.equal(liveCalls(sim, "/v1/chat/completions").length, viaLive.length, "only failed rows went live");
  } finally {
    await sim.close();
  }
});

test("Anthropic Message Batches: results by custom_id, errored rows re-asked live, expired rows resubmitted", async () => {
  const sim = await startSimulator({ seed: 12, requestLogLimit: 10_000, batches: BATCHES });
  try {
    const llm = createBallast({
      models: [anthropic("claude-sim", { baseURL: sim.url, apiKey: "x", price: PRICE })],
      traces: false,
      reasks: 0,
      breaker: false,
    });
    const task = llm.task({ name: "ticket-triage", schema: Ticket, instructions: "Classify the ticket.", fallback: { ...FALLBACK } });
    const client = new Anthropic({ baseURL: sim.url, apiKey: "x", maxRetries: 0 });
    const results = await collect(
      runBatch(task, rows(30), { journal: join(tempDir("ab"), "j.db"), mode: "batch", providerBatch: { anthropic: client, pollMs: 20 } }),
    );
    const { viaLive } = checkRun(results, 30);
    assert.equal(posts(sim, "/v1/messages/batches").length, 2);
    assert.equal(liveCalls(sim, "/v1/messages").length, viaLive.length);
  } finally {
    await sim.close();
  }
});

test("a run stopped while its batch is pending harvests that batch on the rerun instead of submitting again", async () => {
  const sim = await startSimulator({ seed: 13, requestLogLimit: 10_000, batches: { completionMs: 400 } });
  try {
    const task = ticketTask(sim.url, "sim-ob");
    const openai = new OpenAI({ baseURL: `${sim.url}/v1`, apiKey: "x", maxRetries: 0 });
    const journal = join(tempDir("ob-resume"), "j.db");
    const stop = new AbortController();
    const first = runBatch(task, rows(10), {
      journal,
      mode: "batch",
      providerBatch: { openai, pollMs: 20 },
      signal: stop.signal,
      graceMs: 0,
      onEvent: (e) => e.type === "provider_batch" && e.status === "submitted" && stop.abort(),
    });
    assert.equal((await collect(first)).length, 0);
    assert.equal((await first.summary).reason, "signal");
    const second = await collect(runBatch(task, rows(10), { journal, mode: "batch", providerBatch: { openai, pollMs: 20 } }));
    assert.equal(second.length, 10);
    assert.ok(second.every((r) => r.via === "batch"));
    assert.equal(posts(sim, "/v1/batches").length, 1, "the pending batch was harvested, not paid for twice");
  } finally {
    await sim.close();
  }
});
