// A call held back by a limit shared through Redis asks Redis once, however long it waits: the limiter
// reserves its units and answers when they fall due. Counted on a private Redis by its own command
// statistics (EVAL and EVALSHA calls: every limiter ask is one script run), for concurrent client calls
// and for a batch's rows, each of them held back by the limit.
import assert from "node:assert/strict";
import { join } from "node:path";
import { after, before, test } from "node:test";
import { Redis } from "ioredis";
import { z } from "zod";
import { createBallast } from "ballast";
import { runBatch } from "ballast/batch";
import { openai } from "ballast/openai";
import { redis } from "ballast/redis";
import { memoryBreakerStore } from "ballast/shared-state";
import { type Simulator, startSimulator } from "ballast/testing";
import { rows, tempDir, ticketTask } from "../batch/helpers.js";
import { PrivateRedis, testPrefix } from "./helpers.js";

const S = z.object({ label: z.enum(["a", "b"]), n: z.number() });
let sim: Simulator;
let server: PrivateRedis;
let stats: Redis;
before(async () => {
  sim = await startSimulator({ seed: 12 });
  server = await PrivateRedis.start();
  stats = new Redis(server.url, { commandTimeout: 5_000 });
});
after(async () => {
  stats.disconnect();
  await server.down();
  await sim.close();
});

/** Script runs (EVAL + EVALSHA) since the last call. */
async function scriptRuns(): Promise<number> {
  const info = await stats.info("commandstats");
  await stats.config("RESETSTAT");
  let runs = 0;
  for (const m of info.matchAll(/^cmdstat_(eval|evalsha):calls=(\d+)/gm)) runs += Number(m[2]);
  return runs;
}

test("concurrent calls held back by a shared limit ask Redis once each", async () => {
  const shared = await redis(server.url, { prefix: testPrefix(), commandTimeoutMs: 5_000 });
  // breakers stay in this process: every script run Redis counts is the limiter's
  const llm = createBallast({
    models: [openai("m1", { baseURL: `${sim.url}/v1`, apiKey: "k" })],
    shared: { ...shared, breakerStore: memoryBreakerStore(), onOutage: (l) => shared.onOutage(l), close: () => shared.close() },
    // one request every 40 ms, a bucket of one: 12 calls at once wait up to 440 ms
    rateLimits: { "*": { requests: 25, windowMs: 1_000 } },
    deadlineMs: 30_000,
    traces: false,
  });
  try {
    await scriptRuns();
    const calls = 12;
    const results = await Promise.all(Array.from({ length: calls }, (_, i) => llm.generate({ schema: S, input: `call ${i}` })));
    assert.ok(results.every((r) => r.source === "model"));
    const starts = results.map((r) => r.attempts[0]!.startedAt).sort((a, b) => a - b);
    assert.ok(starts.at(-1)! - starts[0]! >= 300, `the limit held the calls back (${starts.at(-1)! - starts[0]!} ms from first to last)`);
    assert.equal(await scriptRuns(), calls, "one limiter round trip per call");
  } finally {
    await shared.close();
  }
});

test("a batch's rows held back by a shared limit ask Redis once each", async () => {
  const shared = await redis(server.url, { prefix: testPrefix(), commandTimeoutMs: 5_000 });
  try {
    await scriptRuns();
    const n = 10;
    const run = runBatch(ticketTask(sim.url, "m2"), rows(n), {
      journal: join(tempDir("round-trips"), "j.db"),
      limits: { "*": { rpm: 30 } },
      limitWindowMs: 1_000,
      limiter: shared.rateLimiter,
      concurrency: 4,
    });
    const out = [];
    for await (const r of run) out.push(r);
    assert.equal(out.length, n);
    assert.ok(out.every((r) => r.source === "model"));
    assert.equal(await scriptRuns(), n, "one limiter round trip per row");
  } finally {
    await shared.close();
  }
});
