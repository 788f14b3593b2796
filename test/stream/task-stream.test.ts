// task(...).stream(): a task's call, streamed, with the task's schema, instructions and fallback.
import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { createBallast } from "ballast";
import { startSimulator, type Simulator } from "ballast/testing";
import { Article, assertMonotonic, collect, modelFor } from "./helpers.js";

let sim: Simulator;
before(async () => {
  sim = await startSimulator({ seed: 12, models: { paced: { tokensPerSecond: 2000 }, cut: { faults: { streamCut: 1 } } } });
});
after(() => sim.close());

test("a task streams with its own schema and instructions, and ends where the task's call would", async () => {
  const llm = createBallast({ models: [modelFor(sim, "openai", "paced")], traces: false });
  const card = llm.task({ name: "article-card", schema: Article, instructions: "Write the article card." });
  const s = card.stream("Battery review");
  const events = await collect(s);
  assertMonotonic(events);
  const r = await s.result;
  assert.equal(Article.safeParse(r.value).success, true);
  const body = sim.requests.at(-1)!.body as Record<string, any>;
  assert.equal(body.stream, true);
  assert.equal(body.messages[0].content, "Write the article card.");
  assert.equal(body.response_format.json_schema.name, "article-card");
});

test("a task's fallback ends a stream whose every rung is cut", async () => {
  const resets: string[] = [];
  const llm = createBallast({
    models: [modelFor(sim, "openai", "cut")],
    traces: false,
    reasks: 0,
    onEvent: (e) => {
      if (e.type === "stream_reset") resets.push(e.model);
    },
  });
  const fallback = Article.parse(
    JSON.parse(
      JSON.stringify(
        (await createBallast({ models: [modelFor(sim, "openai", "paced")], traces: false }).generate({ schema: Article, input: "x" }))
          .value,
      ),
    ),
  );
  const card = llm.task({ name: "article-card-2", schema: Article, fallback });
  const s = card.stream("x", { idleMs: 1_000 });
  const events = await collect(s);
  assert.ok(events.some((e) => e.type === "reset"));
  const r = await s.result;
  assert.equal(r.source, "fallback");
  assert.deepEqual(r.value, fallback);
  assert.deepEqual(resets, ["cut"], "the reset is in the event stream too");
});
