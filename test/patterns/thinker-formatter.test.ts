// thinkThenFormat through the public API against the simulator: a free-text thinker then a schema'd
// formatter; a thinker that fails (formatter answers alone) and a formatter that fails (fallback).
import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { z } from "zod";
import { AllAttemptsFailedError, createBallast } from "ballast";
import { thinkThenFormat } from "ballast/patterns";
import { openai } from "ballast/openai";
import { startSimulator, type Simulator } from "ballast/testing";

const Verdict = z.object({ decision: z.enum(["approve", "reject"]).describe("the decision"), reason: z.string().describe("one sentence") });

let sim: Simulator;
before(async () => {
  sim = await startSimulator({ seed: 5 });
});
after(() => sim.close());
const model = (name: string) => openai(name, { baseURL: `${sim.url}/v1`, apiKey: "test" });
const bodiesFor = (name: string) =>
  sim.requests.filter((r) => (r.body as { model?: string })?.model === name).map((r) => r.body as Record<string, any>);

test("the thinker writes free text, the formatter turns it into the schema; usage covers both", async () => {
  sim.script("thinker-a", [{ text: "The applicant meets every criterion, so approve." }]);
  const llm = createBallast({ models: [model("formatter-a")], traces: false });
  const r = await thinkThenFormat(llm, {
    thinker: { models: [model("thinker-a")] },
    schema: Verdict,
    instructions: "Decide on the loan.",
    input: "Applicant: …",
  });
  assert.equal(r.thoughts, "The applicant meets every criterion, so approve.");
  assert.equal(r.thinker.model, "thinker-a");
  assert.equal(r.source, "model");
  assert.equal(Verdict.safeParse(r.value).success, true);
  const thinkerBody = bodiesFor("thinker-a")[0]!;
  assert.equal(thinkerBody.response_format, undefined, "the thinker is free text");
  const formatterBody = bodiesFor("formatter-a")[0]!;
  assert.match(JSON.stringify(formatterBody.messages), /meets every criterion/);
  assert.equal(formatterBody.response_format.type, "json_schema");
  assert.equal(r.usage.outputTokens, r.thinker.usage.outputTokens + r.formatter.usage.outputTokens);
});

test("a thinker that fails: the next thinker model, then the formatter alone, with the errors reported", async () => {
  sim.script("thinker-b", [{ status: 500 }, { status: 500 }]); // a 5xx survives its one same-model retry
  sim.script("thinker-c", [{ delayMs: 2_000, text: "too late" }]);
  const llm = createBallast({ models: [model("formatter-b")], traces: false });
  const r = await thinkThenFormat(llm, {
    thinker: { models: [model("thinker-b"), model("thinker-c")], timeoutMs: 1_000 }, // thinker-c answers after 2 s
    schema: Verdict,
    input: "x",
  });
  assert.equal(r.thoughts, null);
  // thinker-b's 500 is retried once when the thinker's budget allows; thinker-c is cut by its timeout or the deadline
  const errors = r.thinker.errors.map((e) => [e.model, e.kind]);
  assert.deepEqual(errors[0], ["thinker-b", "provider_http"]);
  assert.ok(
    errors.slice(0, -1).every(([m, k]) => m === "thinker-b" && k === "provider_http"),
    JSON.stringify(errors),
  );
  assert.ok(errors.at(-1)![0] === "thinker-c" && ["timeout", "deadline_exceeded"].includes(errors.at(-1)![1]!), JSON.stringify(errors));
  assert.equal(r.source, "model");
  assert.doesNotMatch(JSON.stringify(bodiesFor("formatter-b")[0]!.messages), /Analysis:/);
});

test("a formatter that fails: the fallback (or the typed error without one), the thoughts kept", async () => {
  sim.script("formatter-c", [{ text: "not json" }, { text: "still not json" }]);
  const llm = createBallast({ models: [model("formatter-c")], traces: false, reasks: 1 });
  const fallback = { decision: "reject" as const, reason: "Could not decide automatically." };
  const r = await thinkThenFormat(llm, { thinker: { models: [model("thinker-d")] }, schema: Verdict, input: "x", fallback });
  assert.equal(r.source, "fallback");
  assert.deepEqual(r.value, fallback);
  assert.ok(r.thoughts && r.thoughts.length > 10);
  assert.equal(r.formatter.attempts.length, 2);

  sim.script("formatter-c", [{ text: "not json" }, { text: "still not json" }]);
  await assert.rejects(
    thinkThenFormat(llm, { thinker: { models: [model("thinker-d")] }, schema: Verdict, input: "x" }),
    AllAttemptsFailedError,
  );
});

test("tracing shows both stages: the thinker's text call and the formatter's generate call", async () => {
  const operations: string[] = [];
  const llm = createBallast({
    models: [model("formatter-t")],
    traces: false,
    onEvent: (e) => {
      if (e.type === "call_start") operations.push(`${e.operation}:${e.task}`);
    },
  });
  const r = await thinkThenFormat(llm, { name: "verdict", thinker: { models: [model("thinker-t")] }, schema: Verdict, input: "x" });
  assert.ok(r.thoughts);
  assert.deepEqual(operations, ["text:verdict:thinker", "generate:verdict"]);
});
