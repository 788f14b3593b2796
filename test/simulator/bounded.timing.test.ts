// Wall-clock bounds of the simulator's worst inputs, with margins for a loaded 2-core machine: token
// counting of long unbroken text is linear (200k repeated characters took 24 s before), and a 30 MB
// prompt is answered in a bounded time rather than stalling every other client.
import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { type Simulator, startSimulator } from "../../src/simulator/index.js";
import { openaiFor } from "./helpers.js";

let sim: Simulator;
before(async () => {
  sim = await startSimulator({ seed: 8 });
});
after(() => sim.close());

async function timed(content: string): Promise<number> {
  const start = performance.now();
  const r = await openaiFor(sim).chat.completions.create({ model: "gpt-test", messages: [{ role: "user", content }] });
  assert.ok((r.usage?.prompt_tokens ?? 0) > content.length / 10);
  return performance.now() - start;
}

test("200k repeated characters are counted in well under a second of work", async () => {
  await timed("warm up");
  const ms = await timed("a".repeat(200_000));
  assert.ok(ms < 3000, `took ${Math.round(ms)} ms`);
});

test("a 30 MB prompt is answered in bounded time, and a small request after it promptly", async () => {
  const big = timed("lorem ipsum dolor ".repeat(1_700_000));
  const small = timed("hello");
  const [bigMs, smallMs] = await Promise.all([big, small]);
  assert.ok(bigMs < 15_000, `big took ${Math.round(bigMs)} ms`);
  assert.ok(smallMs < 15_000, `small took ${Math.round(smallMs)} ms`);
});
