// writerCritic through the public API against the simulator: revise until the critic accepts, a critic
// that never accepts (best-scored version at maxRounds), a failing critic, and a failing first draft.
import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { z } from "zod";
import { createBallast } from "ballast";
import { writerCritic } from "ballast/patterns";
import { openai } from "ballast/openai";
import { startSimulator, type Simulator } from "ballast/testing";

const Summary = z.object({ title: z.string().describe("a short title"), summary: z.string().describe("two sentences") });

let sim: Simulator;
before(async () => {
  sim = await startSimulator({ seed: 11 });
});
after(() => sim.close());
const model = (name: string) => openai(name, { baseURL: `${sim.url}/v1`, apiKey: "test" });
const bodiesFor = (name: string) =>
  sim.requests.filter((r) => (r.body as { model?: string })?.model === name).map((r) => r.body as Record<string, any>);
const review = (score: number, acceptable: boolean) => ({
  json: { issues: acceptable ? [] : [{ field: "summary", problem: `too vague (${score})`, fix: "name the product" }], score, acceptable },
});

test("the writer revises with the critique until the critic accepts", async () => {
  sim.script("critic-a", [review(3, false), review(9, true)]);
  const llm = createBallast({ models: [model("writer-a")], traces: false });
  const r = await writerCritic(llm, {
    schema: Summary,
    instructions: "Summarise the review.",
    input: "Loved the phone.",
    critic: { models: [model("critic-a")] },
  });
  assert.equal(r.stop, "accepted");
  assert.equal(r.accepted, true);
  assert.equal(r.rounds.length, 2);
  assert.equal(r.bestRound, 2);
  assert.deepEqual(r.value, r.rounds[1]!.draft);
  assert.equal(r.rounds[0]!.critique!.issues[0]!.problem, "too vague (3)");
  const revise = bodiesFor("writer-a")[1]!;
  assert.match(JSON.stringify(revise.messages), /too vague \(3\)/);
  assert.match(JSON.stringify(revise.messages), /previous_draft/);
  const critique = bodiesFor("critic-a")[0]!;
  assert.match(JSON.stringify(critique.messages), /Summarise the review/);
  const total = r.rounds.reduce((s, x) => s + x.draftResult.usage.outputTokens + (x.critiqueResult?.usage.outputTokens ?? 0), 0);
  assert.equal(r.usage.outputTokens, total);
});

test("a critic that never accepts: stops at maxRounds and returns the best-scored version", async () => {
  sim.script("critic-b", [review(4, false), review(7, false), review(5, false)]);
  const llm = createBallast({ models: [model("writer-b")], traces: false });
  const r = await writerCritic(llm, { schema: Summary, input: "Meh.", maxRounds: 3, critic: { models: [model("critic-b")] } });
  assert.equal(r.stop, "max_rounds");
  assert.equal(r.accepted, false);
  assert.equal(r.rounds.length, 3);
  assert.equal(r.bestRound, 2);
  assert.deepEqual(r.value, r.rounds[1]!.draft);
  assert.deepEqual(
    r.rounds.map((x) => x.critique?.score),
    [4, 7, 5],
  );
  assert.equal(bodiesFor("writer-b").length, 3);
});

test("a failing critic ends the loop with the drafts so far; a failing first draft uses the fallback", async () => {
  sim.script("critic-c", Array(4).fill({ status: 500 })); // each ask retried once
  const llm = createBallast({ models: [model("writer-c")], traces: false, reasks: 0 });
  const r = await writerCritic(llm, { schema: Summary, input: "Fine.", critic: { models: [model("critic-c")] } });
  assert.equal(r.stop, "critic_failed");
  assert.equal(r.rounds.length, 1);
  assert.equal(r.rounds[0]!.criticError!.kind, "all_attempts_failed");
  assert.deepEqual(r.value, r.rounds[0]!.draft);

  sim.script("writer-d", [{ status: 500 }, { status: 500 }]); // a 5xx survives its one same-model retry
  const fallback = { title: "Unavailable", summary: "Try again later." };
  const down = await writerCritic(createBallast({ models: [model("writer-d")], traces: false, reasks: 0 }), {
    schema: Summary,
    input: "x",
    fallback,
  });
  assert.equal(down.stop, "writer_failed");
  assert.deepEqual(down.value, fallback);
  assert.equal(down.rounds[0]!.draftResult.source, "fallback");
});

test("a signal bounds the whole loop: a round cut short returns the best version so far", async () => {
  sim.script("critic-e", [review(5, false), { delayMs: 5_000, ...review(9, true) }]);
  const llm = createBallast({ models: [model("writer-e")], traces: false });
  const r = await writerCritic(llm, {
    schema: Summary,
    input: "Okay.",
    critic: { models: [model("critic-e")] },
    signal: AbortSignal.timeout(1_000),
  });
  // the delayed critic would have approved round 2: "critic_failed" shows the signal cut it short
  assert.equal(r.stop, "critic_failed");
  assert.equal(r.rounds.length, 2);
  assert.equal(r.rounds[1]!.criticError!.kind, "aborted");
  assert.equal(r.bestRound, 1, "the reviewed draft beats the unreviewed one");
});
