// google(model, { explicitCache }) against the simulator through the public API: the stable prefix goes to an
// explicit cache made with caches.create, later calls read it (cached tokens, fewer dollars), and a cache that
// expired or was deleted is made again without failing the call. A prefix under the minimum is not cached.
import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { GoogleGenAI } from "@google/genai";
import { z } from "zod";
import { createBallast } from "ballast";
import { google } from "ballast/google";
import { type Simulator, startSimulator } from "ballast/testing";

const Review = z.object({ sentiment: z.enum(["positive", "negative"]), score: z.number().int().min(1).max(10) });
/** Roughly 1,500 tokens of stable instructions: over Gemini Flash's 1,024-token minimum. */
const RULES = Array.from({ length: 150 }, (_, i) => `Rule ${i}: judge the review by its overall tone, not by its first sentence.`).join(
  "\n",
);

let sim: Simulator;
let now = Date.now();
before(async () => {
  sim = await startSimulator({ seed: 5, clock: () => now });
});
after(() => sim.close());

const creates = () => sim.requests.filter((r) => r.method === "POST" && r.path === "/v1beta/cachedContents").length;
const generateBodies = (model: string) =>
  sim.requests.filter((r) => r.path === `/v1beta/models/${model}:generateContent`).map((r) => r.body as Record<string, any>);

function task(model: string, options: Parameters<typeof google>[1] = {}) {
  const llm = createBallast({ models: [google(model, { baseURL: sim.url, apiKey: "k", explicitCache: true, ...options })], traces: false });
  return llm.task({ name: `reviews-${model}`, schema: Review, instructions: RULES });
}

test("the stable prefix is cached once; the second call reads it and costs less", async () => {
  const classify = task("gemini-2.5-flash");
  const first = await classify("Great battery, awful screen.");
  const second = await classify("Loved it.");
  assert.equal(creates(), 1, "one cache made");
  const [a, b] = generateBodies("gemini-2.5-flash");
  assert.match(a!.cachedContent, /^cachedContents\//);
  assert.equal(b!.cachedContent, a!.cachedContent, "reused");
  assert.equal(a!.systemInstruction, undefined, "the instructions are in the cache, not in the request");
  assert.ok(!JSON.stringify(b!.contents).includes("Rule 0:"));

  const u1 = first.attempts[0]!.usage;
  const u2 = second.attempts[0]!.usage;
  assert.ok(u1.cacheWriteTokens > 1024, "the call that made the cache reports its tokens as written");
  assert.equal(u2.cacheWriteTokens, 0);
  assert.ok(u2.cachedInputTokens > 1024, "the second call reads the cache");
  assert.ok(u2.inputTokens > u2.cachedInputTokens);
  assert.ok(first.costUsd !== null && second.costUsd !== null);
  assert.ok(second.costUsd < first.costUsd, `second ${second.costUsd} < first ${first.costUsd}`);

  // the same call without an explicit cache pays full input price for the prefix on a cold implicit cache
  const plain = createBallast({ models: [google("gemini-2.5-flash-lite", { baseURL: sim.url, apiKey: "k" })], traces: false });
  const cold = await plain.generate({ schema: Review, instructions: RULES, input: "Loved it." });
  assert.equal(cold.attempts[0]!.usage.cachedInputTokens, 0);
});

test("an expired cache is made again without failing the call", async () => {
  const classify = task("gemini-2.0-flash");
  await classify("Fine.");
  const before = generateBodies("gemini-2.0-flash")[0]!.cachedContent;
  now += 2 * 3_600_000; // past the one-hour TTL on the API's clock; the adapter's own clock has not moved
  const r = await classify("Broke after a week.");
  assert.deepEqual(
    r.attempts.map((x) => x.outcome),
    ["ok"],
  );
  const bodies = generateBodies("gemini-2.0-flash");
  assert.equal(bodies.length, 3, "the 404 and its retry with a new cache");
  assert.equal(bodies[1]!.cachedContent, before);
  assert.notEqual(bodies[2]!.cachedContent, before);
  assert.ok(r.attempts[0]!.usage.cacheWriteTokens > 0 && r.attempts[0]!.usage.cachedInputTokens > 0);
});

test("a deleted cache is made again without failing the call", async () => {
  const classify = task("gemini-1.5-flash");
  await classify("Fine.");
  const name = generateBodies("gemini-1.5-flash")[0]!.cachedContent as string;
  await new GoogleGenAI({ apiKey: "k", httpOptions: { baseUrl: sim.url } }).caches.delete({ name });
  const made = creates();
  const r = await classify("Broke after a week.");
  assert.equal(r.source, "model");
  assert.equal(r.attempts.length, 1);
  assert.equal(creates(), made + 1);
  assert.notEqual(generateBodies("gemini-1.5-flash").at(-1)!.cachedContent, name);
});

test("a prefix under the model's minimum is sent as usual, with no cache", async () => {
  const made = creates();
  const llm = createBallast({ models: [google("gemini-2.5-pro", { baseURL: sim.url, apiKey: "k", explicitCache: true })], traces: false });
  const r = await llm.generate({ schema: Review, instructions: "Classify the review.", input: "Loved it." });
  assert.equal(r.source, "model");
  assert.equal(creates(), made);
  const body = generateBodies("gemini-2.5-pro").at(-1)!;
  assert.equal(body.cachedContent, undefined);
  assert.ok(JSON.stringify(body.systemInstruction).includes("Classify the review."));
});

test("streamed calls use the cache too", async () => {
  const llm = createBallast({
    models: [google("gemini-2.5-flash-streamed", { baseURL: sim.url, apiKey: "k", explicitCache: { ttlSeconds: 600 } })],
    traces: false,
  });
  const s = llm.stream({ schema: Review, instructions: RULES, input: "Loved it." });
  for await (const _ of s) {
  }
  const r = await s.result;
  assert.ok(r.usage.cachedInputTokens > 1024);
  const created = sim.requests.filter((q) => q.method === "POST" && q.path === "/v1beta/cachedContents").at(-1)!.body as Record<
    string,
    any
  >;
  assert.equal(created.ttl, "600s");
  assert.equal(created.model, "models/gemini-2.5-flash-streamed");
});

test("concurrent calls with one prefix share one cache, and only the call that made it reports the write", async () => {
  const made = creates();
  const classify = task("gemini-2.5-flash-concurrent");
  const results = await Promise.all(["a", "b", "c", "d"].map((input) => classify(`Review ${input}: fine.`)));
  assert.equal(creates(), made + 1);
  const writes = results.filter((r) => r.attempts[0]!.usage.cacheWriteTokens > 0);
  assert.equal(writes.length, 1);
  for (const r of results) assert.ok(r.attempts[0]!.usage.cachedInputTokens > 1024);
});
