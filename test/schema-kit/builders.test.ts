// withJustification, scored and resultUnion through the public API: field order on the wire, totals in
// code, and a union whose hardcoded fallback fits it — end to end against the simulator.
import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { z } from "zod";
import { ConfigurationError, createBallast } from "ballast";
import { resultUnion, scored, toJsonSchema, withJustification } from "ballast/schema";
import { openai } from "ballast/openai";
import { startSimulator, type Simulator } from "ballast/testing";

let sim: Simulator;
before(async () => {
  sim = await startSimulator({ seed: 3 });
});
after(() => sim.close());
const model = (name: string) => openai(name, { baseURL: `${sim.url}/v1`, apiKey: "test" });

test("withJustification puts a described reasoning field first and keeps the rest", () => {
  const S = withJustification(z.object({ label: z.enum(["a", "b"]), reasoning: z.number() }));
  const json = toJsonSchema(S);
  assert.deepEqual(Object.keys(json.properties!), ["reasoning", "label"]);
  assert.equal(json.properties!.reasoning!.type, "string");
  assert.match(json.properties!.reasoning!.description!, /before answering/);
  const v: { reasoning: string; label: "a" | "b" } = S.parse({ reasoning: "x", label: "a" });
  assert.equal(v.label, "a");
  assert.throws(() => withJustification(z.string() as never), ConfigurationError);
  const strict = withJustification(z.object({ a: z.string() }).strict().describe("the answer"));
  assert.equal(strict.safeParse({ reasoning: "r", a: "x", extra: 1 }).success, false, "strictness kept");
  assert.equal(toJsonSchema(strict).description, "the answer", "description kept");
});

test("scored: reason before score per criterion, bounds from the scale, weighted total computed in code", async () => {
  const rubric = scored({
    criteria: { clarity: "0 = unreadable, 5 = crisp", accuracy: "0 = wrong, 5 = exact" },
    scale: [0, 5],
    weights: { accuracy: 3 },
  });
  const json = toJsonSchema(rubric.schema);
  assert.deepEqual(Object.keys(json.properties!.clarity!.properties!), ["reason", "score"]);
  assert.equal(json.properties!.accuracy!.properties!.score!.maximum, 5);
  assert.equal(json.properties!.accuracy!.properties!.score!.type, "integer");
  const t = rubric.total({ clarity: { reason: "ok", score: 4 }, accuracy: { reason: "exact", score: 2 } });
  assert.equal(t.total, (4 + 2 * 3) / 4);
  assert.equal(t.normalized, t.total / 5);
  assert.equal(t.breakdown.accuracy.weight, 3);
  assert.throws(() => scored({ criteria: { a: "x" }, scale: [5, 0] }), ConfigurationError);

  const llm = createBallast({ models: [model("judge")], traces: false });
  const r = await llm.generate({ schema: rubric.schema, instructions: "Grade the essay.", input: "An essay." });
  const total = rubric.total(r.value);
  assert.ok(total.total >= 0 && total.total <= 5);
});

test("resultUnion: the model may answer with a typed error; the fallback from fail() fits the schema", async () => {
  const Answer = resultUnion(z.object({ label: z.string().describe("the label") }), {
    errors: { not_applicable: "the input is not a ticket", insufficient_information: "too little to decide" },
  });
  assert.deepEqual(Answer.errorKinds, ["not_applicable", "insufficient_information"]);
  assert.equal(Answer.safeParse({ status: "success", label: "bug" }).success, true);
  assert.equal(Answer.safeParse({ status: "error", error: "not_applicable", message: "no" }).success, true);
  assert.equal(Answer.safeParse({ status: "error", error: "other", message: "no" }).success, false);
  assert.throws(() => resultUnion(z.object({ status: z.string() }), { errors: ["x"] }), ConfigurationError);

  sim.script("union-model", [{ json: { value: { status: "error", error: "insufficient_information", message: "The ticket is empty." } } }]);
  const llm = createBallast({ models: [model("union-model")], traces: false });
  const classify = llm.task({
    name: "classify",
    schema: Answer,
    instructions: "Label the ticket.",
    fallback: Answer.fail("not_applicable"),
  });
  const r = await classify("");
  const label: string | undefined = r.value.status === "success" ? r.value.label : r.value.error; // narrows on status
  assert.equal(label, "insufficient_information");
  assert.equal(r.source, "model");
  assert.deepEqual(r.value, { status: "error", error: "insufficient_information", message: "The ticket is empty." });

  sim.script("union-down", [{ status: 500 }, { status: 500 }, { status: 500 }]);
  const down = createBallast({ models: [model("union-down")], traces: false, reasks: 0 });
  const r2 = await down.task({ name: "classify", schema: Answer, fallback: Answer.fail("not_applicable", "Try again later.") })("x");
  assert.equal(r2.source, "fallback");
  assert.deepEqual(r2.value, { status: "error", error: "not_applicable", message: "Try again later." });
});
