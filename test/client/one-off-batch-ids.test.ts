// One-off calls (`generate`, `text`, `stream`) carry a batch row's ids onto their trace, as task calls do.
import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { z } from "zod";
import { type BallastEvent, createBallast } from "../../src/index.js";
import { openai } from "../../src/providers/openai/index.js";
import { type Simulator, startSimulator } from "../../src/simulator/index.js";

const Ticket = z.object({ label: z.enum(["bug", "feature", "question"]) });
let sim: Simulator;
before(async () => {
  sim = await startSimulator({ seed: 9 });
});
after(() => sim.close());

function client() {
  const events: BallastEvent[] = [];
  const llm = createBallast({
    models: [openai("sim-batch-ids", { baseURL: `${sim.url}/v1`, apiKey: "x" })],
    traces: false,
    onEvent: (e) => events.push(e),
  });
  const batchOf = () => {
    const start = events.find((e) => e.type === "call_start");
    return start?.type === "call_start" ? start.batch : "no call_start";
  };
  return { llm, batchOf };
}

test("generate, text and stream put the batch ids on call_start", async () => {
  const batch = { id: "b_oneoff", row: "42" };
  {
    const { llm, batchOf } = client();
    const r = await llm.generate({ schema: Ticket, input: "the app crashes", fallback: { label: "question" }, batch });
    assert.notEqual(r.source, "fallback");
    assert.deepEqual(batchOf(), batch);
  }
  {
    const { llm, batchOf } = client();
    await llm.text({ input: "say hello", fallback: "hello", batch });
    assert.deepEqual(batchOf(), batch);
  }
  {
    const { llm, batchOf } = client();
    await llm.stream({ schema: Ticket, input: "the app crashes", fallback: { label: "question" }, batch }).result;
    assert.deepEqual(batchOf(), batch);
  }
});

test("a call without batch ids has none on call_start", async () => {
  const { llm, batchOf } = client();
  await llm.generate({ schema: Ticket, input: "the app crashes", fallback: { label: "question" } });
  assert.equal(batchOf(), undefined);
});
