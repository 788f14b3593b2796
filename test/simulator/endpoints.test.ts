// The endpoints beside chat, through the official SDKs: /v1/messages/count_tokens, /v1/embeddings
// (deterministic unit vectors, float and base64), /v1/completions, and /v1/models without a config.
import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { type Simulator, startSimulator } from "../../src/simulator/index.js";
import { anthropicFor, openaiFor } from "./helpers.js";

let sim: Simulator;
before(async () => {
  sim = await startSimulator({ seed: 4 });
});
after(() => sim.close());

function cosine(a: number[], b: number[]): number {
  let dot = 0;
  for (let i = 0; i < a.length; i++) dot += (a[i] as number) * (b[i] as number);
  return dot;
}

test("count_tokens counts what messages.create bills as input", async () => {
  const client = anthropicFor(sim);
  const params = {
    model: "claude-test",
    system: "Be brief.",
    messages: [{ role: "user" as const, content: "Count the tokens in this sentence, please." }],
  };
  const counted = await client.messages.countTokens(params);
  const created = await client.messages.create({ ...params, max_tokens: 20 });
  assert.ok(counted.input_tokens > 5);
  assert.equal(counted.input_tokens, created.usage.input_tokens);
  await assert.rejects(
    client.messages.countTokens({ model: "claude-test", messages: [] }),
    (e: Error & { status?: number }) => e.status === 400,
  );
});

test("embeddings are deterministic unit vectors; shared words are closer; base64 decodes to the same", async () => {
  const client = openaiFor(sim);
  const r = await client.embeddings.create({
    model: "text-embedding-3-small",
    input: ["the red car", "the red car is fast", "quantum soup recipe"],
  });
  assert.equal(r.data.length, 3);
  const [a, b, c] = r.data.map((d) => d.embedding) as [number[], number[], number[]];
  assert.equal(a.length, 1536);
  assert.ok(Math.abs(cosine(a, a) - 1) < 1e-4);
  assert.ok(cosine(a, b) > cosine(a, c) + 0.2);
  assert.ok(r.usage.prompt_tokens > 5);
  const again = await client.embeddings.create({
    model: "text-embedding-3-small",
    input: "the red car",
    encoding_format: "float",
    dimensions: 1536,
  });
  assert.deepEqual(again.data[0]?.embedding, a);
  const small = await client.embeddings.create({ model: "text-embedding-3-large", input: "x", dimensions: 256 });
  assert.equal(small.data[0]?.embedding.length, 256);
  await assert.rejects(
    client.embeddings.create({ model: "text-embedding-3-small", input: "x", dimensions: 0 }),
    (e: Error & { status?: number }) => e.status === 400,
  );
});

test("legacy completions answer with text_completion choices cut at max_tokens", async () => {
  const r = await openaiFor(sim).completions.create({ model: "gpt-3.5-turbo-instruct", prompt: "Once upon a time", max_tokens: 5, n: 2 });
  assert.equal(r.object, "text_completion");
  assert.equal(r.choices.length, 2);
  assert.equal(r.choices[0]?.finish_reason, "length");
  assert.ok((r.usage?.completion_tokens ?? 0) <= 10);
});

test("/v1/models lists a default catalogue without a config, in each provider's shape", async () => {
  const openaiModels = await openaiFor(sim).models.list();
  assert.ok(openaiModels.data.some((m) => m.id === "gpt-4o-mini"));
  const anthropicModels = await anthropicFor(sim).models.list();
  assert.ok(anthropicModels.data.some((m) => m.id.startsWith("claude-")));
});
