// The capability table, family by family, against the simulator: the simulator refuses what the real APIs
// refuse (a raw SDK request with the parameter gets the provider's 400), and Ballast's requests to the
// same model leave those parameters out, answer, and say so once in a warning.
import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import Anthropic from "@anthropic-ai/sdk";
import OpenAI from "openai";
import { z } from "zod";
import { type BallastEvent, createBallast } from "ballast";
import { anthropic } from "ballast/anthropic";
import { openai } from "ballast/openai";
import { type Simulator, startSimulator } from "ballast/testing";
import { capabilitiesOf } from "../../src/core/capabilities.js";

const S = z.object({ label: z.enum(["a", "b"]), n: z.number() });
let sim: Simulator;
let rawOpenAI: OpenAI;
let rawAnthropic: Anthropic;
before(async () => {
  sim = await startSimulator({ seed: 5 });
  rawOpenAI = new OpenAI({ baseURL: `${sim.url}/v1`, apiKey: "k", maxRetries: 0 });
  rawAnthropic = new Anthropic({ baseURL: sim.url, apiKey: "k", maxRetries: 0 });
});
after(() => sim.close());

const bodyOf = (model: string) =>
  sim.requests
    .filter((r) => (r.body as { model?: string })?.model === model)
    .map((r) => r.body as Record<string, unknown>)
    .at(-1)!;

const status = (p: Promise<unknown>) =>
  p.then(
    () => 200,
    (e: { status?: number; message?: string }) => e.status ?? 0,
  );

/** One model per family in the table, and what its family refuses. */
const OPENAI_CASES = [
  { model: "o1-2024-12-17", refuses: ["temperature", "top_p", "frequency_penalty"] },
  { model: "o3", refuses: ["temperature", "top_p", "frequency_penalty"] },
  { model: "o4-mini", refuses: ["temperature", "top_p", "frequency_penalty"] },
  { model: "gpt-5-mini", refuses: ["temperature", "top_p", "frequency_penalty"] },
  { model: "gpt-5-chat-latest", refuses: [] },
  { model: "gpt-4o", refuses: [] },
  { model: "gpt-4.1-nano", refuses: [] },
];

for (const { model, refuses } of OPENAI_CASES) {
  test(`openai ${model}: the simulator refuses ${refuses.join(", ") || "nothing"}; Ballast never sends it`, async () => {
    const base = { model, messages: [{ role: "user" as const, content: "hi" }] };
    for (const [param, value] of [
      ["temperature", 0],
      ["top_p", 0.9],
      ["frequency_penalty", 0.2],
    ] as const) {
      const expected = refuses.includes(param) ? 400 : 200;
      assert.equal(await status(rawOpenAI.chat.completions.create({ ...base, [param]: value })), expected, `${model} with ${param}`);
    }
    if (capabilitiesOf("openai", model).reasoningEffort)
      assert.equal(await status(rawOpenAI.chat.completions.create({ ...base, max_tokens: 50 })), 400, `${model} with max_tokens`);

    const events: BallastEvent[] = [];
    const llm = createBallast({
      models: [openai(model, { baseURL: `${sim.url}/v1`, apiKey: "k" })],
      topP: 0.9,
      maxOutputTokens: 500,
      traces: false,
      onEvent: (e) => events.push(e),
    });
    const r = await llm.generate({ schema: S, input: "x" });
    assert.equal(r.source, "model");
    await llm.generate({ schema: S, input: "y" });
    const body = bodyOf(model);
    for (const param of refuses) assert.equal(body[param], undefined, `${param} sent to ${model}`);
    assert.equal(body.max_completion_tokens, 500);
    assert.equal(body.max_tokens, undefined);
    const warnings = events.filter((e) => e.type === "warning" && /does not accept/.test(e.message));
    assert.equal(warnings.length, refuses.length ? 1 : 0, "reported once per model, not per call");
    if (refuses.length) assert.match((warnings[0] as { message: string }).message, /temperature.*top_p.*frequency_penalty/);
  });
}

const ANTHROPIC_CASES = [
  { model: "claude-sonnet-4-5", both: false, native: true },
  { model: "claude-haiku-4-5-20251001", both: false, native: true },
  { model: "claude-opus-4-1", both: false, native: true },
  { model: "claude-sonnet-4-6", both: false, native: true },
  { model: "claude-sonnet-4-20250514", both: true, native: false },
  { model: "claude-3-5-haiku-latest", both: true, native: false },
];

for (const { model, both, native } of ANTHROPIC_CASES) {
  test(`anthropic ${model}: temperature with top_p is ${both ? "accepted" : "refused"}; Ballast sends what it takes`, async () => {
    const base = { model, max_tokens: 100, messages: [{ role: "user" as const, content: "hi" }] };
    assert.equal(await status(rawAnthropic.messages.create({ ...base, temperature: 0, top_p: 0.9 } as never)), both ? 200 : 400);
    assert.equal(await status(rawAnthropic.messages.create({ ...base, temperature: 0 } as never)), 200);
    assert.equal(capabilitiesOf("anthropic", model).nativeStructuredOutput, native);

    const llm = createBallast({ models: [anthropic(model, { baseURL: sim.url, apiKey: "k" })], topP: 0.9, traces: false });
    const r = await llm.generate({ schema: S, input: "x" });
    assert.equal(r.source, "model");
    const body = bodyOf(model);
    assert.equal(body.temperature, 0);
    assert.equal(body.top_p, both ? 0.9 : undefined);
    assert.equal(body.frequency_penalty, undefined);
  });
}

test("a model's own capabilities override its family's row", async () => {
  const llm = createBallast({
    models: [openai("o3", { baseURL: `${sim.url}/v1`, apiKey: "k", capabilities: { temperature: true } })],
    temperature: 1,
    traces: false,
  });
  await llm.generate({ schema: S, input: "x" });
  assert.equal(bodyOf("o3").temperature, 1);
  assert.equal(capabilitiesOf("openai", "o3", { temperature: true }).temperature, true);
  assert.equal(capabilitiesOf("openai", "o3").temperature, false, "the table itself is unchanged");
});

test("dated snapshots and routed ids match their family; unknown ids accept everything", () => {
  assert.equal(capabilitiesOf("openai", "o3-2025-04-16").family, "o3-o4");
  assert.equal(capabilitiesOf("openai", "openai/gpt-5").family, "gpt-5");
  assert.equal(capabilitiesOf("openai", "llama-3.1-8b").temperature, true);
  assert.equal(capabilitiesOf("anthropic", "claude-3-7-sonnet-latest").temperatureOrTopP, false);
});
