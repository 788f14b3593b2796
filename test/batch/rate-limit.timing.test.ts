// Rate limits held against the simulator's own sliding-window limit, in real time (a 10-second window keeps the
// run short): requests per window within 2% of the limit over the run, every row answered by the model. The
// simulator never admits more than its limit, so a request the client let through too early shows as a 429
// (absorbed: retried after its retry-after), counted in the diagnostic. The simulated-time runs in
// rate-gate.test.ts cover long runs, late timers and the no-window-over-the-limit bound; this one checks the
// same against real timers, a real event loop and real HTTP.
import assert from "node:assert/strict";
import { join } from "node:path";
import { after, before, test } from "node:test";
import OpenAI from "openai";
import { providerPauses, rateLimitFetch, runBatch } from "../../src/batch/index.js";
import { type Simulator, startSimulator } from "../../src/simulator/index.js";
import { rows, tempDir, ticketTask } from "./helpers.js";

const LIMIT = 100;
const WINDOW_MS = 10_000;
let sim: Simulator;
before(async () => {
  sim = await startSimulator({ seed: 3, rateLimits: { "sim-rl": { requests: LIMIT, windowMs: WINDOW_MS } } });
  // Load the provider SDK and open a first connection outside the measured run: a slow first request
  // (module loading on a busy machine) would shorten the measured span and read as a rate over the limit.
  await ticketTask(sim.url, "warm-up")("ticket-0");
});
after(() => sim.close());

test("requests per window within 2% of the provider's limit, every row answered", { timeout: 120_000 }, async (t) => {
  const pauses = providerPauses();
  const client = new OpenAI({ baseURL: `${sim.url}/v1`, apiKey: "x", maxRetries: 0, fetch: rateLimitFetch(pauses) });
  const task = ticketTask(sim.url, "sim-rl", { client });
  const dir = tempDir("rl");
  const n = 1.5 * LIMIT + 1; // a window and a half
  const run = runBatch(task, rows(n), {
    journal: join(dir, "j.db"),
    limits: { "sim-rl": { rpm: LIMIT } },
    limitWindowMs: WINDOW_MS,
    pauses,
    concurrency: 16,
  });
  const results = [];
  for await (const r of run) results.push(r);
  assert.equal(results.length, n);
  assert.ok(
    results.every((r) => r.source === "model"),
    "every row answered by the model (429s absorbed)",
  );
  const s = sim.rateLimits()["sim-rl"];
  assert.ok(s);
  const perWindow = ((s.admitted - 1) / ((s.lastAt as number) - (s.firstAt as number))) * WINDOW_MS;
  const detail = `${perWindow.toFixed(2)} requests per window against ${LIMIT} (${s.rejected} refused with a 429)`;
  t.diagnostic(detail);
  assert.ok(perWindow <= LIMIT * 1.02, `more than 2% over the limit: ${detail}`);
  assert.ok(perWindow >= LIMIT * 0.98, `more than 2% under the limit: ${detail}`);
});
