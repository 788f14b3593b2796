// Where a value came from, in the one vocabulary the API, `ballast traces` and the trace store share:
// source "model" | "repaired" | "fallback" (the hardcoded default) and the rung that answered.
import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { z } from "zod";
import { createBallast } from "ballast";
import { openai } from "ballast/openai";
import { startSimulator, type Simulator } from "ballast/testing";

let sim: Simulator;
before(async () => {
  sim = await startSimulator({ seed: 3 });
});
after(() => sim.close());
const model = (name: string) => openai(name, { baseURL: `${sim.url}/v1`, apiKey: "k" });
const S = z.object({ label: z.enum(["a", "b"]) });

test("the first model's answer is source model, rung 0; a repaired one says repaired", async () => {
  const llm = createBallast({ models: [model("first"), model("second")], traces: false });
  const r = await llm.generate({ schema: S, input: "x" });
  assert.deepEqual([r.source, r.rung, r.model], ["model", 0, "first"]);
  sim.script("broken", [{ text: "Sure: {'label': 'b',}" }]);
  const repaired = await createBallast({ models: [model("broken")], traces: false }).generate({ schema: S, input: "x" });
  assert.deepEqual([repaired.source, repaired.rung, repaired.value], ["repaired", 0, { label: "b" }]);
});

test("a later model's answer is still source model, with its rung; the hardcoded default is fallback, rung null", async () => {
  sim.script("down", [{ fault: "http500" }]);
  const llm = createBallast({ models: [model("down"), model("up")], traces: false, breaker: false, retry: { limit: 0 } });
  const r = await llm.generate({ schema: S, input: "x" });
  assert.deepEqual([r.source, r.rung, r.model], ["model", 1, "up"]);

  sim.script("down-2", [{ fault: "http500" }]);
  const alone = createBallast({ models: [model("down-2")], traces: false, breaker: false, reasks: 0, retry: { limit: 0 } });
  const f = await alone.generate({ schema: S, input: "x", fallback: { label: "a" } });
  assert.deepEqual([f.source, f.rung, f.model, f.value], ["fallback", null, "hardcoded_fallback", { label: "a" }]);
});
