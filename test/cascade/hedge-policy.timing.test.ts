// Hedge timing: a one-model cascade whose request hangs answers from a repeat soon after the hedge delay
// (once the client knows the model's reply times), not at its timeout; the latest launch waiting out a 429's long retry-after starts the hedge at once.
import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { z } from "zod";
import { type BallastEvent, createBallast } from "ballast";
import { openai } from "ballast/openai";
import { type Simulator, startSimulator } from "ballast/testing";

/** Timer and event-loop slack on a loaded 2-core machine. */
const SLACK_MS = 250;

const S = z.object({ label: z.enum(["a", "b"]), n: z.number() });
let sim: Simulator;
before(async () => {
  sim = await startSimulator({ seed: 43, models: { quick: { ttftMs: 20 } } });
  // Node's fetch loads lazily on first use: warm it so the timings below measure Ballast, not start-up.
  await createBallast({ models: [model("warm-up")], traces: false }).generate({ schema: S, input: "warm" });
});
after(() => sim.close());
const model = (name: string) => openai(name, { baseURL: `${sim.url}/v1`, apiKey: "k" });

test("a one-model call whose request hangs answers soon after the hedge delay, not at its 10 s timeout", async () => {
  const llm = createBallast({ models: [model("quick")], hedge: { afterMs: 50 }, timeoutMs: 10_000, traces: false });
  for (let i = 0; i < 20; i++) await llm.generate({ schema: S, input: `warm ${i}` }); // its reply times
  sim.script("quick", [{ fault: "hang" }]);
  const t0 = performance.now();
  const r = await llm.generate({ schema: S, input: "x" });
  const elapsed = performance.now() - t0;
  assert.equal(r.source, "model");
  assert.equal(r.attempts[1]!.kind, "hedge");
  assert.ok(elapsed < 50 + SLACK_MS, `answered after ${elapsed.toFixed(0)} ms`);
});

test("a 429 asking to wait past the hedge point starts the hedge at once, not after afterMs", async () => {
  sim.script("rests", [{ fault: "http429", retryAfterMs: 3_000 }]);
  const events: BallastEvent[] = [];
  const llm = createBallast({
    models: [model("rests"), model("quick")],
    hedge: { afterMs: 1_000 },
    traces: false,
    onEvent: (e) => events.push(e),
  });
  const t0 = Date.now();
  const r = await llm.generate({ schema: S, input: "x" });
  assert.equal(r.model, "quick");
  assert.deepEqual(
    r.attempts.map((a) => `${a.model}:${a.kind}:${a.outcome}`),
    ["rests:initial:rate_limited", "quick:hedge:ok"],
  );
  const hedge = events.find((e) => e.type === "hedge")!;
  assert.ok(hedge.ts - t0 < SLACK_MS, `the hedge started ${hedge.ts - t0} ms into the call`);
});
