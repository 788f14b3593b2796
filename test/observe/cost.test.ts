import assert from "node:assert/strict";
import { test } from "node:test";
import { attemptCost, sumCosts } from "../../src/observe/cost.js";
import { catalogueCost, cataloguePrice } from "../../src/observe/price-catalogue.js";
import { usage } from "./helpers.js";

const close = (actual: number | null, expected: number) => {
  assert.notEqual(actual, null);
  assert.ok(Math.abs((actual as number) - expected) < 1e-12, `${actual} != ${expected}`);
};

test("openai gpt-4o-mini, uncached: $0.15 in / $0.60 out per MTok", () => {
  close(attemptCost("openai", "gpt-4o-mini", usage({ inputTokens: 1000, outputTokens: 200 })), (1000 * 0.15 + 200 * 0.6) / 1e6);
});

test("openai gpt-4o-mini, cached tokens counted inside input tokens at $0.075", () => {
  // 1000 input of which 600 cached: 400 * 0.15 + 600 * 0.075 + 200 * 0.6
  close(
    attemptCost("openai", "gpt-4o-mini", usage({ inputTokens: 1000, cachedInputTokens: 600, outputTokens: 200 })),
    (400 * 0.15 + 600 * 0.075 + 200 * 0.6) / 1e6,
  );
});

test("openai reasoning tokens are part of output tokens (o3-mini $1.10 / $0.55 / $4.40)", () => {
  close(
    attemptCost("openai", "o3-mini", usage({ inputTokens: 2000, outputTokens: 1500, reasoningTokens: 1200 })),
    (2000 * 1.1 + 1500 * 4.4) / 1e6,
  );
});

test("anthropic claude-sonnet-4: cache reads $0.30, cache writes $3.75, fresh input $3, output $15", () => {
  const u = usage({ inputTokens: 5000, cachedInputTokens: 3000, cacheWriteTokens: 1500, outputTokens: 400 });
  close(attemptCost("anthropic", "claude-sonnet-4-20250514", u), (500 * 3 + 3000 * 0.3 + 1500 * 3.75 + 400 * 15) / 1e6);
  close(attemptCost("anthropic", "claude-sonnet-4-20250514", usage({ inputTokens: 5000, outputTokens: 400 })), (5000 * 3 + 400 * 15) / 1e6);
});

test("anthropic claude-haiku-4-5 with a cache hit", () => {
  const u = usage({ inputTokens: 10_000, cachedInputTokens: 9_000, outputTokens: 300 });
  close(attemptCost("anthropic", "claude-haiku-4-5", u), (1000 * 1 + 9000 * 0.1 + 300 * 5) / 1e6);
});

test("the per-model price override wins over the catalogue", () => {
  const u = usage({ inputTokens: 1000, cachedInputTokens: 500, outputTokens: 100 });
  close(
    attemptCost("openai", "gpt-4o-mini", u, { inputPerMTok: 10, cachedInputPerMTok: 1, outputPerMTok: 20 }),
    (500 * 10 + 500 * 1 + 100 * 20) / 1e6,
  );
  // without cached/cache-write prices, those tokens cost the input price
  close(
    attemptCost("local", "llama", usage({ inputTokens: 1000, cacheWriteTokens: 300, outputTokens: 10 }), {
      inputPerMTok: 2,
      outputPerMTok: 4,
    }),
    (1000 * 2 + 10 * 4) / 1e6,
  );
});

test("unknown model or provider -> null, never 0", () => {
  assert.equal(attemptCost("openai", "no-such-model-xyz", usage({ inputTokens: 10 })), null);
  assert.equal(attemptCost("self-hosted", "gpt-4o-mini", usage({ inputTokens: 10 })), null);
});

test("failed attempts with zero usage cost exactly 0 for a known model", () => {
  assert.equal(attemptCost("openai", "gpt-4o-mini", usage()), 0);
});

test("sumCosts: null when any attempt is unknown", () => {
  assert.equal(sumCosts([0.1, null, 0.2]), null);
  close(sumCosts([0.1, 0.2]), 0.30000000000000004);
});

test("cataloguePrice exposes the flat rates", () => {
  assert.deepEqual(cataloguePrice("anthropic", "claude-haiku-4-5"), {
    inputPerMTok: 1,
    outputPerMTok: 5,
    cachedInputPerMTok: 0.1,
    cacheWritePerMTok: 1.25,
  });
  assert.equal(cataloguePrice("openai", "nope"), null);
});

test("the cached fast path prices exactly as the catalogue's own calculation (flat, tiered, dated, per-request)", () => {
  const usages = [
    usage({ inputTokens: 2000, cachedInputTokens: 1024, outputTokens: 100 }),
    usage({ inputTokens: 250_000, cachedInputTokens: 10_000, cacheWriteTokens: 5000, outputTokens: 3000, reasoningTokens: 2000 }), // long-context tier
    usage({ inputTokens: 7000, cacheWriteTokens: 6000, outputTokens: 900, reasoningTokens: 800 }),
  ];
  const models = [
    ["openai", "gpt-4o-mini"],
    ["openai", "o3"],
    ["openai", "gpt-5"],
    ["anthropic", "claude-sonnet-4-5"],
    ["anthropic", "claude-haiku-4-5"],
    ["google", "gemini-2.5-pro"],
    ["deepseek", "deepseek-chat"],
    ["perplexity", "sonar"],
  ] as const;
  for (const [provider, model] of models) {
    for (const u of usages) {
      const fast = attemptCost(provider, model, u);
      const exact = catalogueCost(provider, model, u, new Date());
      assert.notEqual(exact, null, `${provider}/${model} unknown to the catalogue`);
      assert.ok(fast !== null && Math.abs(fast - exact!) < 1e-12, `${provider}/${model} @${u.inputTokens}: ${fast} != ${exact}`);
    }
  }
});
