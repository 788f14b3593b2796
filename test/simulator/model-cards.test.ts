// Model cards: context window errors as the providers send them, maxOutputTokens truncation, the slowTail
// fault's extra latency, and configured fault probabilities showing up in /_ballast/stats.
import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import Anthropic from "@anthropic-ai/sdk";
import OpenAI from "openai";
import { type Simulator, type SimulatorStats, startSimulator } from "../../src/simulator/index.js";
import { anthropicFor, openaiFor } from "./helpers.js";

let sim: Simulator;
before(async () => {
  sim = await startSimulator({
    seed: 5,
    models: {
      small: { contextWindow: 100, maxOutputTokens: 12 },
      tail: { faults: { slowTail: 1 } },
      mixed: { faults: { http500: 0.3, malformed: 0.3 } },
    },
  });
});
after(() => sim.close());

test("prompt over the context window: OpenAI 400 context_length_exceeded, Anthropic prompt is too long", async () => {
  const long = " the".repeat(200);
  const oa = await openaiFor(sim)
    .chat.completions.create({ model: "small", messages: [{ role: "user", content: long }] })
    .catch((e: unknown) => e);
  assert.ok(oa instanceof OpenAI.BadRequestError);
  assert.equal(oa.code, "context_length_exceeded");
  assert.match(oa.message, /maximum context length is 100 tokens/);
  const an = await anthropicFor(sim)
    .messages.create({ model: "small", max_tokens: 10, messages: [{ role: "user", content: long }] })
    .catch((e: unknown) => e);
  assert.ok(an instanceof Anthropic.BadRequestError);
  assert.equal((an.error as { error: { type: string } }).error.type, "invalid_request_error");
  assert.match(an.message, /prompt is too long: 200 tokens > 100 maximum/);
});

test("prompt plus max tokens over the window: the providers' 'requested' errors", async () => {
  const prompt = " the".repeat(60);
  const oa = await openaiFor(sim)
    .chat.completions.create({ model: "small", max_completion_tokens: 50, messages: [{ role: "user", content: prompt }] })
    .catch((e: unknown) => e);
  assert.ok(oa instanceof OpenAI.BadRequestError);
  assert.equal(oa.code, "context_length_exceeded");
  assert.match(oa.message, /you requested 116 tokens \(66 in the messages, 50 in the completion\)/);
  const an = await anthropicFor(sim)
    .messages.create({ model: "small", max_tokens: 50, messages: [{ role: "user", content: prompt }] })
    .catch((e: unknown) => e);
  assert.ok(an instanceof Anthropic.BadRequestError);
  assert.match(an.message, /60 \+ 50 > 100/);
});

test("maxOutputTokens cuts the output with finish_reason length / stop_reason max_tokens", async () => {
  const r = await openaiFor(sim).chat.completions.create({ model: "small", messages: [{ role: "user", content: "hi" }] });
  assert.equal(r.choices[0]?.finish_reason, "length");
  assert.equal(r.usage?.completion_tokens, 12);
  const m = await anthropicFor(sim).messages.create({ model: "small", max_tokens: 50, messages: [{ role: "user", content: "hi" }] });
  assert.equal(m.stop_reason, "max_tokens");
  assert.equal(m.usage.output_tokens, 12);
});

test("/_ballast/stats: totals, per-model and per-fault counts matching the configured mix", async () => {
  const client = openaiFor(sim);
  for (let i = 0; i < 100; i++)
    await client.chat.completions.create({ model: "mixed", messages: [{ role: "user", content: `m${i}` }] }).catch(() => null);
  const res = await fetch(`${sim.url}/_ballast/stats`);
  const stats = (await res.json()) as SimulatorStats;
  const mixed = stats.byModel.mixed;
  assert.ok(mixed);
  assert.equal(mixed.requests, 100);
  assert.ok((mixed.faults.http500 ?? 0) > 15 && (mixed.faults.http500 ?? 0) < 45, JSON.stringify(mixed.faults));
  assert.ok((mixed.faults.malformed ?? 0) > 15 && (mixed.faults.malformed ?? 0) < 45);
  assert.ok(stats.totalRequests >= 100);
  assert.equal(stats.byFault.http500, mixed.faults.http500);
  assert.ok(stats.openConnections >= 1);
  assert.equal(stats.hangingRequests, 0);
  assert.equal(typeof stats.abortedRequests, "number");
  assert.ok((stats.byRoute["/v1/chat/completions"] ?? 0) >= 100);
});
