// The simulator's latency as the deadlines under test meet it: TTFT and token pacing from the model card,
// a scripted delay, the slowTail fault, and no latency on a model nobody configured. Lower bounds only
// (a loaded machine makes replies later, never earlier), and one upper bound far from its limit.
import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import OpenAI from "openai";
import { type Simulator, startSimulator } from "../../src/simulator/index.js";
import { openaiFor } from "./helpers.js";

let sim: Simulator;
before(async () => {
  sim = await startSimulator({
    seed: 4,
    models: {
      paced: { ttftMs: 100, tokensPerSecond: 300 },
      tail: { faults: { slowTail: 1 } },
      flaky: { faults: { http500: 1 }, ttftMs: 30_000 },
    },
  });
});
after(() => sim.close());

const messages = [{ role: "user" as const, content: "stream me" }];

test("streaming is paced by the model card: TTFT then tokens at tokensPerSecond", async () => {
  const client = openaiFor(sim);
  const t0 = Date.now();
  const stream = await client.chat.completions.create({ model: "paced", messages, stream: true, stream_options: { include_usage: true } });
  let first = 0;
  let tokens = 0;
  for await (const chunk of stream) {
    if (!first && chunk.choices[0]?.delta.content) first = Date.now() - t0;
    if (chunk.usage) tokens = chunk.usage.completion_tokens;
  }
  const total = Date.now() - t0;
  assert.ok(first >= 95, `ttft ${first}`);
  const expected = 100 + (tokens / 300) * 1000;
  assert.ok(total >= expected * 0.8, `total ${total} expected ~${expected}`);
});

test("non-streaming latency is at least ttftMs + outputTokens / tokensPerSecond", async () => {
  const t0 = Date.now();
  const r = await openaiFor(sim).chat.completions.create({ model: "paced", messages });
  const elapsed = Date.now() - t0;
  const expected = 100 + ((r.usage?.completion_tokens ?? 0) / 300) * 1000;
  assert.ok(elapsed >= expected - 5, `elapsed ${elapsed}, expected ${expected}`);
});

test("scripted delay holds the reply", async () => {
  sim.script("slow", [{ json: { ok: true }, delayMs: 150 }]);
  const t0 = Date.now();
  await openaiFor(sim).chat.completions.create({ model: "slow", messages: [{ role: "user", content: "x" }] });
  assert.ok(Date.now() - t0 >= 140);
});

test("slowTail adds heavy-tailed latency of at least half a second", async () => {
  const t0 = Date.now();
  await openaiFor(sim).chat.completions.create({ model: "tail", messages: [{ role: "user", content: "hi" }] });
  assert.ok(Date.now() - t0 >= 490);
  assert.equal(sim.stats().byModel.tail?.faults.slowTail, 1);
});

test("an unconfigured model answers without the configured one's latency", async () => {
  const client = openaiFor(sim);
  await client.chat.completions.create({ model: "other", messages: [{ role: "user", content: "warm up" }] });
  for (let i = 0; i < 5; i++) {
    const t0 = Date.now();
    await client.chat.completions.create({ model: "other", messages: [{ role: "user", content: `x${i}` }] });
    assert.ok(Date.now() - t0 < 10_000, "no latency on an unconfigured model (the configured one has 30 s)");
  }
  const error = await client.chat.completions
    .create({ model: "flaky", messages: [{ role: "user", content: "x" }] })
    .catch((e: unknown) => e);
  assert.ok(error instanceof OpenAI.InternalServerError);
});
