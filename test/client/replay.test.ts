// task.replay: a reply fetched outside the cascade goes through the same call as a live answer (recovery,
// validation, the attempt record at the reply's price, the events every listener gets) and sends nothing.
import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { z } from "zod";
import { type BallastEvent, createBallast } from "../../src/index.js";
import { openai } from "../../src/providers/openai/index.js";
import { type Simulator, startSimulator } from "../../src/simulator/index.js";

const Ticket = z.object({ label: z.enum(["bug", "feature", "question"]), priority: z.number().int().min(1).max(5) });
const usage = { inputTokens: 1_000_000, outputTokens: 500_000, cachedInputTokens: 0, cacheWriteTokens: 0, reasoningTokens: 0 };
let sim: Simulator;
before(async () => {
  sim = await startSimulator({ seed: 4 });
});
after(() => sim.close());

function setup() {
  const events: BallastEvent[] = [];
  const model = openai("sim-replay", { baseURL: `${sim.url}/v1`, apiKey: "x", price: { inputPerMTok: 2, outputPerMTok: 8 } });
  const llm = createBallast({ models: [model], traces: false, onEvent: (e) => events.push(e) });
  const task = llm.task({ name: "triage", schema: Ticket, fallback: { label: "question", priority: 3 } });
  return { task, model, events };
}

test("a reply that fits: valid (repaired if need be), at the reply's price, traced with its batch ids, nothing sent", async () => {
  const { task, model, events } = setup();
  const before = sim.requests.length;
  const r = await task.replay(
    "the app crashes",
    {
      model,
      text: "```json\n{'label': 'bug', 'priority': 2}\n```",
      usage,
      price: { inputPerMTok: 1, outputPerMTok: 4 },
      responseModel: "sim-replay-2025",
    },
    { batch: { id: "b1", row: "7" } },
  );
  assert.deepEqual(r.value, { label: "bug", priority: 2 });
  assert.equal(r.source, "repaired");
  assert.equal(r.model, "sim-replay");
  assert.equal(r.costUsd, 1 + 2, "1M input at $1 + 0.5M output at $4");
  assert.equal(r.attempts.length, 1);
  assert.equal(r.attempts[0]?.responseModel, "sim-replay-2025");
  assert.equal(sim.requests.length, before, "no request sent");
  const start = events.find((e) => e.type === "call_start");
  assert.deepEqual(start?.type === "call_start" && start.batch, { id: "b1", row: "7" });
  assert.ok(events.some((e) => e.type === "attempt_end") && events.some((e) => e.type === "call_end"));
});

test("a reply that does not fit ends the call as a failed cascade does: the fallback", async () => {
  const { task, model } = setup();
  const r = await task.replay("the app crashes", { model, text: '{"label": "urgent", "priority": 9}', usage });
  assert.equal(r.source, "fallback");
  assert.equal(r.attempts[0]?.outcome, "invalid");
  assert.equal(r.costUsd, 2 + 4, "billed at the model's own price when the reply names none");
});
