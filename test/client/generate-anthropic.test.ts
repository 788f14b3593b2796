// generate() through the official @anthropic-ai/sdk against the simulator's Messages route: a forced tool
// whose input_schema is the schema, no frequency penalty on the wire, usage with cache fields normalised.
import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { z } from "zod";
import { createBallast } from "ballast";
import { anthropic } from "ballast/anthropic";
import { startSimulator, type Simulator } from "ballast/testing";

const Answer = z.object({
  answer: z.string().describe("the answer"),
  confidence: z.number().min(0).max(1),
  tags: z.array(z.string()).optional(),
});

let sim: Simulator;
before(async () => {
  sim = await startSimulator({ seed: 3 });
});
after(() => sim.close());

const model = (name: string) => anthropic(name, { baseURL: sim.url, apiKey: "test" });

test("forced tool use with the schema as input_schema; no frequency penalty sent", async () => {
  const llm = createBallast({ models: [model("claude-wire")] });
  const r = await llm.generate({ schema: Answer, instructions: "Answer briefly.", input: "Why is the sky blue?" });
  assert.equal(r.source, "model");
  assert.equal(Answer.safeParse(r.value).success, true);
  const body = sim.requests.find((q) => (q.body as { model?: string }).model === "claude-wire")!.body as Record<string, any>;
  assert.equal(body.temperature, 0);
  assert.equal("frequency_penalty" in body, false);
  assert.equal(body.max_tokens, 4096);
  assert.deepEqual(body.tool_choice, { type: "tool", name: "generate" });
  assert.deepEqual(body.tools[0].input_schema, {
    type: "object",
    properties: {
      answer: { type: "string", description: "the answer" },
      confidence: { type: "number", minimum: 0, maximum: 1 },
      tags: { type: "array", items: { type: "string" } },
    },
    required: ["answer", "confidence"],
  });
  assert.equal(body.system[0].text, "Answer briefly.");
  assert.deepEqual(body.system[0].cache_control, { type: "ephemeral" });
  assert.equal(body.messages[0].content[0].text, "Why is the sky blue?");
});

test("usage: Anthropic's uncached input_tokens plus cache reads and writes become Ballast's inputTokens", async () => {
  sim.script("claude-usage", [
    {
      json: { answer: "a", confidence: 0.5 },
      usage: { inputTokens: 1150, outputTokens: 20, cachedInputTokens: 1000, cacheWriteTokens: 50 },
    },
  ]);
  const llm = createBallast({ models: [model("claude-usage")] });
  const r = await llm.generate({ schema: Answer, input: "q" });
  const raw = sim.requests.filter((q) => (q.body as { model?: string }).model === "claude-usage");
  assert.equal(raw.length, 1);
  assert.deepEqual(r.usage, { inputTokens: 1150, outputTokens: 20, cachedInputTokens: 1000, cacheWriteTokens: 50, reasoningTokens: 0 });
});

test("a refusal is recorded as such and the cascade moves on", async () => {
  sim.script("claude-refuses", [{ fault: "refusal" }]);
  const llm = createBallast({ models: [model("claude-refuses"), model("claude-backup")] });
  const r = await llm.generate({ schema: Answer, input: "q" });
  assert.equal(r.model, "claude-backup");
  assert.equal(r.attempts[0]!.outcome, "refusal");
});
