// A model without its API key is the caller's mistake: the call rejects with a ConfigurationError before it
// sends anything, fallback or not, wherever the model stands in the cascade (not only once the models before
// it have failed, after paid requests to them).
import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { z } from "zod";
import { ConfigurationError, createBallast } from "../../src/index.js";
import { anthropic } from "../../src/providers/anthropic/index.js";
import { google } from "../../src/providers/google/index.js";
import { openai } from "../../src/providers/openai/index.js";
import { type Simulator, startSimulator } from "../../src/simulator/index.js";

const S = z.object({ a: z.string() });
const KEYS = ["OPENAI_API_KEY", "OPENAI_BASE_URL", "ANTHROPIC_API_KEY", "GEMINI_API_KEY", "GOOGLE_API_KEY"];
const saved = new Map(KEYS.map((k) => [k, process.env[k]]));
let sim: Simulator;
before(async () => {
  for (const k of KEYS) delete process.env[k];
  sim = await startSimulator({ seed: 3, models: { failing: { faults: { http503: 1 } } } });
});
after(async () => {
  for (const [k, v] of saved) if (v !== undefined) process.env[k] = v;
  await sim.close();
});

test("a keyless model anywhere in the cascade rejects the call before any request, even with a fallback", async () => {
  const primary = openai("failing", { baseURL: `${sim.url}/v1`, apiKey: "k", api: "chat" });
  for (const [keyless, variable] of [
    [openai("gpt-5-mini"), "OPENAI_API_KEY"],
    [anthropic("claude-haiku-4-5"), "ANTHROPIC_API_KEY"],
    [google("gemini-2.5-flash"), "GEMINI_API_KEY"],
  ] as const) {
    const llm = createBallast({ models: [primary, keyless], traces: false });
    const before = sim.stats().totalRequests;
    await assert.rejects(llm.generate({ schema: S, input: "x", fallback: { a: "default" } }), (e: unknown) => {
      assert.ok(e instanceof ConfigurationError, String(e));
      assert.match(e.message, new RegExp(`${variable} is not set: pass \\{ apiKey \\}`));
      return true;
    });
    assert.equal(sim.stats().totalRequests, before, `${variable}: nothing was sent`);
  }
});

test("the key may come from the environment, set after the model was made", async () => {
  const keyless = openai("failing", { api: "chat" });
  const llm = createBallast({ models: [keyless], traces: false });
  await assert.rejects(llm.generate({ schema: S, input: "x", fallback: { a: "d" } }), ConfigurationError);
  process.env.OPENAI_API_KEY = "sk-from-env-0123456789";
  process.env.OPENAI_BASE_URL = `${sim.url}/v1`;
  try {
    const r = await llm.generate({ schema: S, input: "x", fallback: { a: "d" } });
    // The simulator's "failing" model answers 503 to everything: the call reached it and fell back.
    assert.equal(r.source, "fallback");
    assert.equal(r.attempts[0]?.error?.status, 503);
  } finally {
    delete process.env.OPENAI_API_KEY;
    delete process.env.OPENAI_BASE_URL;
  }
});
