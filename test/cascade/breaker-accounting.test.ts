// Breaker accounting: attempts that were aborted (a lost hedge, the deadline, the caller) say nothing about
// the model, so they count neither as failures nor as successes; a success would reset a consecutive-failure
// count or dilute a failure rate, and a model that always loses its hedge would never be found out. A 400, 413
// or 422 faults one request (a parameter, its size), not the model, so it is neutral too; a 404 (a retired
// model) or a 401 fails every request and counts.
import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { z } from "zod";
import { createBallast } from "ballast";
import { openai } from "ballast/openai";
import { type Simulator, startSimulator } from "ballast/testing";

const S = z.object({ label: z.enum(["a", "b"]), n: z.number() });

let sim: Simulator;
before(async () => {
  sim = await startSimulator({ seed: 11 });
});
after(() => sim.close());
const model = (name: string) => openai(name, { baseURL: `${sim.url}/v1`, apiKey: "k" });

test("a lost hedge between two failures does not reset the breaker's failure count", async () => {
  const llm = createBallast({
    models: [model("shaky"), model("quick")],
    retry: { limit: 0 }, // one failure per call: the breaker's counts stay readable
    breaker: { consecutiveFailures: 2, cooldownMs: 60_000 },
    traces: false,
  });
  sim.script("shaky", [{ fault: "http500" }, { delayMs: 2_000 }, { fault: "http500" }]);
  await llm.generate({ schema: S, input: "1" });
  const raced = await llm.generate({ schema: S, input: "2", hedge: { afterMs: 0 } });
  assert.equal(raced.model, "quick");
  assert.equal(raced.attempts.find((a) => a.model === "shaky")!.outcome, "aborted");
  await llm.generate({ schema: S, input: "3" });
  const health = llm.health().find((h) => h.model === "openai:shaky")!;
  assert.equal(health.state, "open", "two real failures in a row open it; the aborted race in between is neutral");
  assert.deepEqual([health.calls, health.failures], [2, 2]);
});

test("400s on some requests leave the model's breaker closed; 404s from a retired model open it", async () => {
  const llm = createBallast({
    models: [model("picky"), model("quick")],
    breaker: { consecutiveFailures: 2, cooldownMs: 60_000 },
    traces: false,
  });
  sim.script("picky", [{ status: 400 }, { status: 400 }, { status: 400 }]);
  for (let i = 0; i < 3; i++) assert.equal((await llm.generate({ schema: S, input: `p${i}` })).model, "quick");
  const picky = await llm.generate({ schema: S, input: "p" });
  assert.equal(picky.model, "picky", "three 400s in a row did not open its breaker");
  assert.equal(llm.health().find((h) => h.model === "openai:picky")!.state, "closed");

  const retired = createBallast({
    models: [model("retired"), model("quick")],
    breaker: { consecutiveFailures: 2, cooldownMs: 60_000 },
    traces: false,
  });
  sim.script("retired", [{ status: 404 }, { status: 404 }]);
  for (let i = 0; i < 2; i++) await retired.generate({ schema: S, input: `r${i}` });
  const r = await retired.generate({ schema: S, input: "r" });
  assert.deepEqual(
    r.attempts.map((a) => `${a.model}:${a.outcome}`),
    ["retired:skipped_breaker", "quick:ok"],
  );
});
