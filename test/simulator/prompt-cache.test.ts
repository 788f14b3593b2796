// Provider-faithful prompt caching at the thresholds: OpenAI prefix caching (1023 vs 1024 tokens, 128-token
// blocks, prompt_cache_key, TTL) and Anthropic cache_control breakpoints (minimums, haiku's 2048, the
// 5th breakpoint 400, creation vs read, 5m and 1h TTLs), with an injected clock.
import assert from "node:assert/strict";
import { test } from "node:test";
import Anthropic from "@anthropic-ai/sdk";
import { startSimulator } from "../../src/simulator/index.js";
import { anthropicFor, openaiFor } from "./helpers.js";

/** Exactly n o200k tokens. */
const tokens = (n: number, word = " the") => word.repeat(n);

function clock() {
  let now = 1_000_000;
  return { now: () => now, advance: (ms: number) => (now += ms) };
}

/** OpenAI prompt = 3 (priming) + 3 + system + 3 + user tokens. */
function openaiPrompt(systemTokens: number, userTokens: number, user = " cat") {
  return [
    { role: "system" as const, content: tokens(systemTokens) },
    { role: "user" as const, content: tokens(userTokens, user) },
  ];
}

test("OpenAI: no cache hit below 1024 prompt tokens, a hit at exactly 1024", async () => {
  const sim = await startSimulator();
  try {
    const client = openaiFor(sim);
    const below = openaiPrompt(1000, 14); // 1023 tokens
    const first = await client.chat.completions.create({ model: "gpt-c", messages: below });
    assert.equal(first.usage?.prompt_tokens, 1023);
    const second = await client.chat.completions.create({ model: "gpt-c", messages: below });
    assert.equal(second.usage?.prompt_tokens_details?.cached_tokens, 0);
    const at = openaiPrompt(1000, 15); // 1024 tokens
    const cold = await client.chat.completions.create({ model: "gpt-c", messages: at });
    assert.equal(cold.usage?.prompt_tokens, 1024);
    assert.equal(cold.usage?.prompt_tokens_details?.cached_tokens, 0);
    const warm = await client.chat.completions.create({ model: "gpt-c", messages: at });
    assert.equal(warm.usage?.prompt_tokens_details?.cached_tokens, 1024);
  } finally {
    await sim.close();
  }
});

test("OpenAI: hits come in 128-token blocks of the shared prefix", async () => {
  const sim = await startSimulator();
  try {
    const client = openaiFor(sim);
    // Shared prefix: 3 + 1300 system tokens + 3 role tokens = 1306; the user turns differ.
    await client.chat.completions.create({ model: "gpt-c", messages: openaiPrompt(1300, 50, " cat") });
    const other = await client.chat.completions.create({ model: "gpt-c", messages: openaiPrompt(1300, 50, " dog") });
    assert.equal(other.usage?.prompt_tokens, 1359);
    assert.equal(other.usage?.prompt_tokens_details?.cached_tokens, 1280); // 1024 + 2*128 <= 1306 < 1408
    const same = await client.chat.completions.create({ model: "gpt-c", messages: openaiPrompt(1300, 50, " dog") });
    assert.equal(same.usage?.prompt_tokens_details?.cached_tokens, 1280 + 0); // 1359 < 1408: still 1280
    const longer = openaiPrompt(1300, 200, " dog"); // 1509 tokens
    await client.chat.completions.create({ model: "gpt-c", messages: longer });
    const again = await client.chat.completions.create({ model: "gpt-c", messages: longer });
    assert.equal(again.usage?.prompt_tokens_details?.cached_tokens, 1408);
  } finally {
    await sim.close();
  }
});

test("OpenAI: prompt_cache_key separates caches; entries expire after the TTL", async () => {
  const time = clock();
  const sim = await startSimulator({ clock: time.now });
  try {
    const client = openaiFor(sim);
    const messages = openaiPrompt(1500, 10);
    await client.chat.completions.create({ model: "gpt-c", messages, prompt_cache_key: "tenant-a" });
    const otherKey = await client.chat.completions.create({ model: "gpt-c", messages, prompt_cache_key: "tenant-b" });
    assert.equal(otherKey.usage?.prompt_tokens_details?.cached_tokens, 0);
    const sameKey = await client.chat.completions.create({ model: "gpt-c", messages, prompt_cache_key: "tenant-a" });
    assert.equal(sameKey.usage?.prompt_tokens_details?.cached_tokens, 1408);
    time.advance(5 * 60_000 - 1);
    const justInTime = await client.chat.completions.create({ model: "gpt-c", messages, prompt_cache_key: "tenant-a" });
    assert.equal(justInTime.usage?.prompt_tokens_details?.cached_tokens, 1408, "a hit refreshes the TTL");
    time.advance(5 * 60_000);
    const expired = await client.chat.completions.create({ model: "gpt-c", messages, prompt_cache_key: "tenant-a" });
    assert.equal(expired.usage?.prompt_tokens_details?.cached_tokens, 0);
  } finally {
    await sim.close();
  }
});

const cachedSystem = (n: number, ttl?: "1h", word = " the") => [
  {
    type: "text" as const,
    text: tokens(n, word),
    cache_control: ttl ? { type: "ephemeral" as const, ttl } : { type: "ephemeral" as const },
  },
];

test("Anthropic: a breakpoint caches from 1024 tokens (not 1023); creation then read", async () => {
  const sim = await startSimulator();
  try {
    const client = anthropicFor(sim);
    const send = (n: number, model = "claude-sonnet-c") =>
      client.messages.create({ model, max_tokens: 50, system: cachedSystem(n), messages: [{ role: "user", content: tokens(10, " cat") }] });
    const small1 = await send(1023);
    const small2 = await send(1023);
    assert.equal(small1.usage.input_tokens, 1033);
    assert.equal(small2.usage.cache_creation_input_tokens, 0);
    assert.equal(small2.usage.cache_read_input_tokens, 0);
    const write = await send(1024);
    assert.equal(write.usage.cache_creation_input_tokens, 1024);
    assert.equal(write.usage.cache_read_input_tokens, 0);
    assert.equal(write.usage.input_tokens, 10, "input_tokens counts only the uncached part");
    const read = await send(1024);
    assert.equal(read.usage.cache_read_input_tokens, 1024);
    assert.equal(read.usage.cache_creation_input_tokens, 0);
    assert.equal(read.usage.input_tokens, 10);
    // Haiku models need 2048 tokens.
    await send(2047, "claude-haiku-c");
    assert.equal((await send(2047, "claude-haiku-c")).usage.cache_read_input_tokens, 0);
    await send(2048, "claude-haiku-c");
    assert.equal((await send(2048, "claude-haiku-c")).usage.cache_read_input_tokens, 2048);
  } finally {
    await sim.close();
  }
});

test("Anthropic: several breakpoints write and read incrementally; a 5th is a 400", async () => {
  const sim = await startSimulator();
  try {
    const client = anthropicFor(sim);
    const tools = [
      {
        name: "t",
        description: tokens(1100),
        input_schema: { type: "object" as const, properties: {} },
        cache_control: { type: "ephemeral" as const },
      },
    ];
    const first = await client.messages.create({
      model: "claude-c",
      max_tokens: 20,
      tools,
      tool_choice: { type: "none" },
      messages: [{ role: "user", content: "hi" }],
    });
    const toolTokens = first.usage.cache_creation_input_tokens ?? 0;
    assert.ok(toolTokens > 1100);
    const withSystem = await client.messages.create({
      model: "claude-c",
      max_tokens: 20,
      tools,
      tool_choice: { type: "none" },
      system: cachedSystem(500),
      messages: [{ role: "user", content: "hi" }],
    });
    assert.equal(withSystem.usage.cache_read_input_tokens, toolTokens);
    assert.equal(withSystem.usage.cache_creation_input_tokens, 500);
    const block = (text: string) => ({ type: "text" as const, text, cache_control: { type: "ephemeral" as const } });
    const five = await client.messages
      .create({
        model: "claude-c",
        max_tokens: 20,
        system: [block("a"), block("b"), block("c")],
        messages: [{ role: "user", content: [block("d"), block("e")] }],
      })
      .catch((e: unknown) => e);
    assert.ok(five instanceof Anthropic.BadRequestError);
    assert.match(five.message, /maximum of 4 blocks with cache_control/);
  } finally {
    await sim.close();
  }
});

test("Anthropic: 5-minute entries expire, 1-hour entries survive, reads refresh", async () => {
  const time = clock();
  const sim = await startSimulator({ clock: time.now });
  try {
    const client = anthropicFor(sim);
    // The 1h entries use another prefix: a request for a prefix that is already cached reads it whatever its TTL.
    const send = (ttl?: "1h") =>
      client.messages.create({
        model: "claude-c",
        max_tokens: 20,
        system: cachedSystem(1200, ttl, ttl ? " dog" : " the"),
        messages: [{ role: "user", content: "q" }],
      });
    const w5 = await send();
    assert.equal(w5.usage.cache_creation?.ephemeral_5m_input_tokens, 1200);
    time.advance(4 * 60_000);
    assert.equal((await send()).usage.cache_read_input_tokens, 1200);
    time.advance(5 * 60_000 + 1);
    assert.equal((await send()).usage.cache_read_input_tokens, 0, "expired after 5 minutes without a hit");
    const w1h = await send("1h");
    assert.equal(w1h.usage.cache_creation?.ephemeral_1h_input_tokens, 1200);
    time.advance(30 * 60_000);
    assert.equal((await send("1h")).usage.cache_read_input_tokens, 1200);
    time.advance(61 * 60_000);
    assert.equal((await send("1h")).usage.cache_read_input_tokens, 0);
  } finally {
    await sim.close();
  }
});

test("cached tokens are billed at the card's cached price in stats", async () => {
  const sim = await startSimulator({ models: { priced: { priceInputPerMTok: 2, priceCachedInputPerMTok: 0.5, priceOutputPerMTok: 8 } } });
  try {
    const client = openaiFor(sim);
    const messages = openaiPrompt(2000, 10);
    const a = await client.chat.completions.create({ model: "priced", messages });
    const b = await client.chat.completions.create({ model: "priced", messages });
    const cached = b.usage?.prompt_tokens_details?.cached_tokens ?? 0;
    assert.equal(cached, 1920);
    const input = (a.usage?.prompt_tokens ?? 0) * 2;
    const output = (a.usage?.completion_tokens ?? 0) + (b.usage?.completion_tokens ?? 0);
    const expected = ((input - cached) * 2) / 1e6 + (cached * 0.5) / 1e6 + (output * 8) / 1e6;
    const stats = sim.stats().byModel.priced;
    assert.ok(stats && Math.abs((stats.costUsd ?? 0) - expected) < 1e-9);
    assert.equal(stats.cachedInputTokens, cached);
    assert.deepEqual(stats.prices, { inputPerMTok: 2, cachedInputPerMTok: 0.5, outputPerMTok: 8 });
  } finally {
    await sim.close();
  }
});
