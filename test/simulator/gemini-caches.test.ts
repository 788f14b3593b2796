// Gemini explicit context caches on the simulator, driven through the official @google/genai SDK: create,
// get, list, update and delete under /v1beta/cachedContents, TTL and expireTime on an injected clock, the
// model's minimum size, cachedContentTokenCount on a request that names a cache, and 404 in Google's error
// shape for an unknown or expired cache.
import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { GoogleGenAI } from "@google/genai";
import { type Simulator, startSimulator } from "ballast/testing";

let sim: Simulator;
let now = Date.parse("2026-06-01T12:00:00Z");
let ai: GoogleGenAI;
before(async () => {
  sim = await startSimulator({ seed: 3, clock: () => now });
  ai = new GoogleGenAI({ apiKey: "k", httpOptions: { baseUrl: sim.url } });
});
after(() => sim.close());

/** Roughly 1,500 o200k tokens of instructions: over Flash's 1,024-token minimum, under Pro's 4,096. */
const LONG = Array.from({ length: 150 }, (_, i) => `Rule ${i}: label each review by its overall tone, not its first sentence.`).join("\n");

test("create, get, list, update and delete a cache through the SDK", async () => {
  const cache = await ai.caches.create({
    model: "gemini-2.5-flash",
    config: { systemInstruction: LONG, ttl: "600s", displayName: "rules" },
  });
  assert.match(cache.name!, /^cachedContents\//);
  assert.equal(cache.model, "models/gemini-2.5-flash");
  assert.equal(cache.displayName, "rules");
  assert.equal(cache.expireTime, new Date(now + 600_000).toISOString());
  assert.ok(cache.usageMetadata!.totalTokenCount! > 1024);
  assert.equal((await ai.caches.get({ name: cache.name! })).name, cache.name);
  const listed: string[] = [];
  for await (const c of await ai.caches.list({ config: { pageSize: 1 } })) listed.push(c.name!);
  assert.ok(listed.includes(cache.name!));
  const updated = await ai.caches.update({ name: cache.name!, config: { ttl: "7200s" } });
  assert.equal(updated.expireTime, new Date(now + 7_200_000).toISOString());
  await ai.caches.delete({ name: cache.name! });
  await assert.rejects(ai.caches.get({ name: cache.name! }), (e: Error & { status?: number }) => e.status === 404);
});

test("a cache under the model's minimum is refused with 400", async () => {
  await assert.rejects(
    ai.caches.create({ model: "gemini-2.5-flash", config: { systemInstruction: "short" } }),
    (e: Error & { status?: number }) => {
      assert.equal(e.status, 400);
      assert.match(e.message, /too small.*min_total_token_count=1024/);
      return true;
    },
  );
  await assert.rejects(ai.caches.create({ model: "gemini-2.5-pro", config: { systemInstruction: LONG } }), /min_total_token_count=4096/);
});

test("a request naming a cache reads its tokens; an expired or unknown cache is a 404 in Google's shape", async () => {
  const cache = await ai.caches.create({ model: "gemini-2.5-flash", config: { systemInstruction: LONG, ttl: "60s" } });
  const tokens = cache.usageMetadata!.totalTokenCount!;
  const res = await ai.models.generateContent({
    model: "gemini-2.5-flash",
    contents: "Great phone.",
    config: { cachedContent: cache.name! },
  });
  assert.equal(res.usageMetadata!.cachedContentTokenCount, tokens);
  assert.ok(res.usageMetadata!.promptTokenCount! > tokens, "the prompt count includes the cached tokens");

  // the request may not set what the cache holds, and must use the cache's model
  await assert.rejects(
    ai.models.generateContent({ model: "gemini-2.5-flash", contents: "x", config: { cachedContent: cache.name!, systemInstruction: "y" } }),
    /CachedContent can not be used with GenerateContent request setting system_instruction/,
  );
  await assert.rejects(
    ai.models.generateContent({ model: "gemini-2.0-flash", contents: "x", config: { cachedContent: cache.name! } }),
    /has to be the same/,
  );

  now += 61_000;
  const raw = await fetch(`${sim.url}/v1beta/models/gemini-2.5-flash:generateContent`, {
    method: "POST",
    headers: { "content-type": "application/json", "x-goog-api-key": "k" },
    body: JSON.stringify({ contents: [{ role: "user", parts: [{ text: "x" }] }], cachedContent: cache.name }),
  });
  assert.equal(raw.status, 404);
  const body = (await raw.json()) as { error: { code: number; status: string; message: string } };
  assert.equal(body.error.code, 404);
  assert.equal(body.error.status, "NOT_FOUND");
  assert.match(body.error.message, /CachedContent not found/);
  await assert.rejects(ai.caches.get({ name: cache.name! }), (e: Error & { status?: number }) => e.status === 404);
  await assert.rejects(ai.caches.get({ name: "cachedContents/nope" }), (e: Error & { status?: number }) => e.status === 404);
});
