// Contract tests for POST /v1/messages (non-streaming) through the official @anthropic-ai/sdk: forced tool
// use fitting input_schema, free text, usage fields, max_tokens truncation, model listing.
import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import type Anthropic from "@anthropic-ai/sdk";
import { type Simulator, startSimulator } from "../../src/simulator/index.js";
import { anthropicFor, isValid, reviewSchema } from "./helpers.js";

let sim: Simulator;
before(async () => {
  sim = await startSimulator({ seed: 2, models: { "claude-card": {} } });
});
after(() => sim.close());

const tool = { name: "record_review", description: "Record it", input_schema: reviewSchema as unknown as Anthropic.Tool.InputSchema };

test("forced tool use returns a tool_use block whose input fits input_schema", async () => {
  const client = anthropicFor(sim);
  for (let i = 0; i < 10; i++) {
    const m = await client.messages.create({
      model: "claude-test",
      max_tokens: 500,
      system: "You classify reviews.",
      messages: [{ role: "user", content: `review ${i}` }],
      tools: [tool],
      tool_choice: { type: "tool", name: "record_review" },
    });
    assert.equal(m.type, "message");
    assert.equal(m.role, "assistant");
    assert.equal(m.stop_reason, "tool_use");
    const block = m.content[0];
    assert.ok(block && block.type === "tool_use");
    assert.equal(block.name, "record_review");
    assert.ok(block.id.startsWith("toolu_"));
    assert.ok(isValid(reviewSchema, block.input), JSON.stringify(block.input));
    assert.ok(m.usage.input_tokens > 10);
    assert.ok(m.usage.output_tokens > 5);
    assert.equal(m.usage.cache_creation_input_tokens, 0);
    assert.equal(m.usage.cache_read_input_tokens, 0);
  }
});

test("free text without tools; max_tokens truncates with stop_reason max_tokens", async () => {
  const client = anthropicFor(sim);
  const m = await client.messages.create({ model: "claude-test", max_tokens: 1000, messages: [{ role: "user", content: "hello" }] });
  assert.equal(m.stop_reason, "end_turn");
  const block = m.content[0];
  assert.ok(block?.type === "text" && block.text.length > 20);
  const cut = await client.messages.create({ model: "claude-test", max_tokens: 5, messages: [{ role: "user", content: "hello" }] });
  assert.equal(cut.stop_reason, "max_tokens");
  assert.equal(cut.usage.output_tokens, 5);
});

test("output_config json_schema format returns schema-valid JSON text", async () => {
  const client = anthropicFor(sim);
  const m = await client.messages.create({
    model: "claude-test",
    max_tokens: 500,
    messages: [{ role: "user", content: "structured" }],
    output_config: { format: { type: "json_schema", schema: reviewSchema as unknown as Record<string, unknown> } },
  });
  const block = m.content[0];
  assert.ok(block?.type === "text");
  assert.ok(isValid(reviewSchema, JSON.parse(block.text)));
});

test("models.list uses the Anthropic shape", async () => {
  const page = await anthropicFor(sim).models.list();
  assert.deepEqual(
    page.data.map((m) => m.id),
    ["claude-card"],
  );
});

test("invalid requests are 400 invalid_request_error", async () => {
  const client = anthropicFor(sim);
  const error = await client.messages.create({ model: "claude-test", max_tokens: 10, messages: [] }).catch((e: unknown) => e);
  assert.equal((error as { status: number }).status, 400);
  assert.equal((error as { error: { error: { type: string } } }).error.error.type, "invalid_request_error");
});

test("the same request samples anew above temperature 0 (Anthropic has no seed) and repeats at temperature 0", async () => {
  const client = anthropicFor(sim);
  const ask = (temperature: number): Promise<Anthropic.Message> => {
    // `temperature` is sent as the provider adapter sends it (this SDK's types no longer list it).
    const params = {
      model: "claude-sampling",
      max_tokens: 500,
      temperature,
      messages: [{ role: "user", content: "the same review" }],
      tools: [tool],
      tool_choice: { type: "tool", name: "record_review" },
    } as unknown as Anthropic.MessageCreateParamsNonStreaming;
    return client.messages.create(params);
  };
  const inputOf = (m: Anthropic.Message) => JSON.stringify((m.content[0] as Anthropic.ToolUseBlock).input);
  const cold = await Promise.all([ask(0), ask(0), ask(0)]);
  assert.equal(new Set(cold.map(inputOf)).size, 1);
  const hot = await Promise.all(Array.from({ length: 5 }, () => ask(1)));
  assert.ok(new Set(hot.map(inputOf)).size >= 3, hot.map(inputOf).join("\n"));
  for (const m of hot) assert.ok(isValid(reviewSchema, (m.content[0] as Anthropic.ToolUseBlock).input));
});
