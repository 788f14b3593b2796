// What each new adapter puts on the wire and reads back, beyond the shared table: the OpenAI API chosen
// by default, the Responses body (instructions, text.format, store, reasoning effort), the Gemini body
// (systemInstruction, responseJsonSchema, thinkingConfig) and provider-specific replies.
import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { z } from "zod";
import { ConfigurationError, createBallast } from "ballast";
import { ContextWindowError } from "ballast/errors";
import { aiSdk } from "ballast/ai-sdk";
import { google } from "ballast/google";
import { openai } from "ballast/openai";
import { type Simulator, startSimulator } from "ballast/testing";

const Answer = z.object({ answer: z.string(), confidence: z.number().min(0).max(1) });

let sim: Simulator;
before(async () => {
  sim = await startSimulator({ seed: 9, models: { "gemini-small-window": { contextWindow: 50 } } });
});
after(() => sim.close());

const lastBody = (path: RegExp) => sim.requests.filter((r) => path.test(r.path)).at(-1)!.body as Record<string, any>;

test("openai(): Responses by default on OpenAI itself, Chat Completions for any other baseURL", async () => {
  const onOpenAI = openai("def-responses", { baseURL: "https://api.openai.com/v1", apiKey: "k" });
  assert.equal(onOpenAI.supportsN, false, "the Responses API has no n");
  assert.equal(openai("x", { apiKey: "k" }).supportsFrequencyPenalty, false);
  const elsewhere = openai("def-chat", { baseURL: `${sim.url}/v1`, apiKey: "k" });
  assert.equal(elsewhere.supportsN, true);
  await createBallast({ models: [elsewhere], traces: false }).generate({ schema: Answer, input: "q" });
  assert.equal(sim.requests.at(-1)!.path, "/v1/chat/completions");
  assert.throws(() => openai("x", { api: "completions" as never }), ConfigurationError);
  assert.throws(() => openai("x", { baseURL: "not a url" }), ConfigurationError);
});

test("Responses: instructions, input, strict text.format, no stored state, reasoning effort and tokens", async () => {
  const model = openai("gpt-5-mini-wire", { api: "responses", baseURL: `${sim.url}/v1`, apiKey: "k", reasoningEffort: "low" });
  const r = await createBallast({ models: [model], traces: false }).generate({
    schema: Answer,
    instructions: "Answer briefly.",
    input: "Why is the sky blue?",
  });
  assert.equal(Answer.safeParse(r.value).success, true);
  const body = lastBody(/\/v1\/responses$/);
  assert.equal(body.instructions, "Answer briefly.");
  assert.deepEqual(body.input, [{ role: "user", content: "Why is the sky blue?" }]);
  assert.equal(body.store, false);
  assert.deepEqual(body.reasoning, { effort: "low" });
  assert.equal("frequency_penalty" in body, false);
  assert.equal(body.text.format.type, "json_schema");
  assert.equal(body.text.format.strict, true);
  assert.deepEqual(body.text.format.schema.required, ["answer", "confidence"]);
  assert.ok(r.usage.reasoningTokens > 0, "reasoning tokens reported");
  assert.ok(r.usage.outputTokens > r.usage.reasoningTokens, "output tokens include reasoning");
  assert.match(r.attempts[0]!.responseId!, /^resp_/);
});

test("Responses: a refusal part is a refusal, and the cascade moves on", async () => {
  sim.script("resp-refuses", [{ refusal: "I can't help with that." }]);
  const make = (m: string) => openai(m, { api: "responses", baseURL: `${sim.url}/v1`, apiKey: "k" });
  const r = await createBallast({ models: [make("resp-refuses"), make("resp-backup")], traces: false }).generate({
    schema: Answer,
    input: "q",
  });
  assert.equal(r.attempts[0]!.outcome, "refusal");
  assert.equal(r.attempts[0]!.error!.message.includes("I can't help"), true);
  assert.equal(r.model, "resp-backup");
});

test("Gemini: systemInstruction, responseJsonSchema, thinking budget, thinking tokens counted as output", async () => {
  const model = google("gemini-2.5-flash-wire", { baseURL: sim.url, apiKey: "k", thinkingBudget: 64 });
  const r = await createBallast({ models: [model], traces: false }).generate({ schema: Answer, instructions: "Be brief.", input: "Hi" });
  assert.equal(Answer.safeParse(r.value).success, true);
  const request = sim.requests.at(-1)!;
  assert.equal(request.path, "/v1beta/models/gemini-2.5-flash-wire:generateContent");
  assert.equal(request.headers["x-goog-api-key"], "k");
  const body = request.body as Record<string, any>;
  assert.deepEqual(body.systemInstruction.parts, [{ text: "Be brief." }]);
  assert.deepEqual(body.contents, [{ role: "user", parts: [{ text: "Hi" }] }]);
  assert.equal(body.generationConfig.responseMimeType, "application/json");
  assert.deepEqual(body.generationConfig.responseJsonSchema.required, ["answer", "confidence"]);
  assert.deepEqual(body.generationConfig.thinkingConfig, { thinkingBudget: 64 });
  assert.equal(body.generationConfig.frequencyPenalty, undefined);
  assert.equal(r.usage.reasoningTokens, 64);
  assert.ok(r.usage.outputTokens > 64);
});

test("Gemini: a prompt over the context window is a ContextWindowError", async () => {
  const model = google("gemini-small-window", { baseURL: sim.url, apiKey: "k" });
  await assert.rejects(
    createBallast({ models: [model], traces: false }).generate({ schema: Answer, input: "word ".repeat(200) }),
    (err: Error & { errors?: unknown; attempts?: Array<{ error?: { kind: string } }> }) => {
      assert.equal(err.attempts?.[0]?.error?.kind, new ContextWindowError("x").kind);
      return true;
    },
  );
});

test("bad arguments are typed errors that say what was wrong", () => {
  assert.throws(() => google(""), ConfigurationError);
  assert.throws(() => google("g", { mode: "tool" as never }), /mode must be one of/);
  assert.throws(() => aiSdk({} as never), /AI SDK LanguageModel/);
  assert.throws(
    () => aiSdk({ specificationVersion: "v2", provider: "p", modelId: "m", doGenerate() {}, doStream() {} } as never),
    /spec v2/,
  );
});
