// The model catalogue: adapters created without `contextWindow` take the catalogue's window (models.dev, then
// genai-prices for models the snapshot lacks), a prompt that cannot fit is not sent and the error names that
// window, an option wins over the catalogue, and a model the catalogue does not know is sent as before.
import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { z } from "zod";
import { createBallast } from "ballast";
import { aiSdk } from "ballast/ai-sdk";
import { anthropic } from "ballast/anthropic";
import { google } from "ballast/google";
import { openai } from "ballast/openai";
import { type Simulator, startSimulator } from "ballast/testing";

const S = z.object({ label: z.enum(["a", "b"]) });

let sim: Simulator;
before(async () => {
  sim = await startSimulator({ seed: 4 });
});
after(() => sim.close());

const chat = (model: string, contextWindow?: number) =>
  openai(model, { baseURL: `${sim.url}/v1`, apiKey: "k", ...(contextWindow ? { contextWindow } : {}) });
const sentTo = (model: string) => sim.requests.filter((r) => (r.body as { model?: string } | undefined)?.model === model).length;
/** `chars` characters of prose: at least `chars` / 8 tokens by the check's floor (about `chars` / 4.5 in o200k). */
const prose = (chars: number) => "The quick brown fox jumps over the lazy dog. ".repeat(Math.ceil(chars / 45)).slice(0, chars);

test("adapters created without contextWindow take the catalogue's window", () => {
  assert.equal(google("gemini-2.5-flash").contextWindow, 1_048_576);
  assert.equal(anthropic("claude-3-5-haiku-20241022").contextWindow, 200_000);
  assert.equal(anthropic("claude-3-5-haiku-latest").contextWindow, 200_000, "an alias matches its dated snapshot");
  assert.equal(anthropic("claude-sonnet-4-5").contextWindow, 200_000, "a model models.dev lacks: genai-prices' window");
  assert.equal(google("gemini-2.5-flash", { contextWindow: 32_000 }).contextWindow, 32_000, "the option wins");
  assert.equal(google("gemini-unknown-9").contextWindow, undefined, "an unknown model: none, as before");
  const fake = { specificationVersion: "v3", provider: "google.generative-ai", modelId: "gemini-2.5-pro", doGenerate() {}, doStream() {} };
  assert.equal(aiSdk(fake as never).contextWindow, 1_048_576);
});

test("a prompt over the catalogue window is not sent: the error names the window, the next model answers", async () => {
  const llm = createBallast({ models: [chat("gpt-4"), chat("after-gpt-4")], traces: false });
  const r = await llm.generate({ schema: S, input: prose(100_000) });
  assert.equal(sentTo("gpt-4"), 0, "no request reached the provider");
  assert.equal(r.model, "after-gpt-4");
  const first = r.attempts[0]!;
  assert.equal(first.error?.kind, "context_window");
  assert.match(first.error!.message, /context window of 8192 tokens \(models\.dev catalogue\); not sent/);
  assert.equal(first.costUsd, 0);
});

test("the output asked for counts against the window", async () => {
  const llm = createBallast({ models: [chat("gpt-4"), chat("after-gpt-4-out")], traces: false });
  const r = await llm.generate({ schema: S, input: prose(40_000), maxOutputTokens: 4000 });
  assert.equal(r.model, "after-gpt-4-out");
  assert.match(r.attempts[0]!.error!.message, /plus 4000 output tokens asked for, over the model's context window of 8192/);
  // the same prompt without the output cap fits the floor, so it is sent
  const sent = await createBallast({ models: [chat("gpt-4")], traces: false }).generate({ schema: S, input: prose(40_000) });
  assert.equal(sent.model, "gpt-4");
});

test("a contextWindow option wins over the catalogue, both ways", async () => {
  const larger = await createBallast({ models: [chat("gpt-4", 1_000_000)], traces: false }).generate({ schema: S, input: prose(100_000) });
  assert.equal(larger.model, "gpt-4", "sent: the option says it fits");
  const llm = createBallast({ models: [chat("gpt-4.1-nano", 1000), chat("after-nano")], traces: false });
  const before = sentTo("gpt-4.1-nano");
  const smaller = await llm.generate({ schema: S, input: prose(10_000) });
  assert.equal(sentTo("gpt-4.1-nano"), before);
  assert.match(smaller.attempts[0]!.error!.message, /context window of 1000 tokens \(its contextWindow option\)/);
});

test("a model the catalogue does not know is sent as before, however long the prompt", async () => {
  const r = await createBallast({ models: [chat("house-model-7b")], traces: false }).generate({ schema: S, input: prose(100_000) });
  assert.equal(r.model, "house-model-7b");
  assert.equal(sentTo("house-model-7b"), 1);
});

test("a Gemini model over its window is not sent either", async () => {
  const gem = google("gemini-1.5-flash-8b", { baseURL: sim.url, apiKey: "k", contextWindow: 2000 });
  const llm = createBallast({ models: [gem, chat("after-gemini")], traces: false });
  const r = await llm.generate({ schema: S, input: prose(20_000) });
  assert.equal(r.model, "after-gemini");
  assert.equal(sim.requests.filter((q) => q.path.includes("gemini-1.5-flash-8b")).length, 0);
});
