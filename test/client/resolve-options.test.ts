// Every call option, set alone on a task or a call, takes effect: guards the fast path in layerOptions
// (named reads of each option) against an option added to CallOptions but not to that check.
import assert from "node:assert/strict";
import { test } from "node:test";
import type { CallOptions } from "ballast";
import { DEFAULTS, layerOptions } from "../../src/client/resolve-options.js";

// Record<keyof CallOptions, …>: a new option does not compile here until it has a sample value.
const samples: Required<{ [K in keyof CallOptions]: NonNullable<CallOptions[K]> }> = {
  // only layered, never called: the smallest object with the LanguageModel shape the option check asks for
  models: [
    { provider: "p", modelId: "m", modes: ["json_schema"], generate: () => Promise.reject(new Error("unused")) },
  ] as unknown as NonNullable<CallOptions["models"]>,
  timeoutMs: 1234,
  deadlineMs: 5678,
  reasks: 3,
  temperature: 0.7,
  frequencyPenalty: 0.5,
  topP: 0.9,
  maxOutputTokens: 99,
  seed: 42,
  n: 3,
  hedge: { afterMs: 100 },
  maxRetryWaitMs: 250,
  mode: "json_object",
  headers: { "x-test": "1" },
  cache: { key: "k" },
  retry: { limit: 2, backoffMs: 10 },
};

test("each call option set alone is layered over the defaults", () => {
  const base = { ...DEFAULTS, models: [] };
  for (const [key, value] of Object.entries(samples)) {
    const layered = layerOptions(base, { [key]: value }, () => "test") as unknown as Record<string, unknown>;
    assert.notEqual(layered, base, `${key} was ignored`);
    assert.equal(layered[key], value, key);
  }
  assert.equal(
    layerOptions(base, {}, () => "test"),
    base,
    "no options: the base itself",
  );
});
