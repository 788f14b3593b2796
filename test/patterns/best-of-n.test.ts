// bestOfN through the public API against the simulator: N seeded samples at temperature, field-by-field
// combining with agreement, invalid samples excluded and reported, all-invalid -> fallback or typed error,
// a caller combiner and a judge model.
import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { z } from "zod";
import { AllAttemptsFailedError, createBallast } from "ballast";
import { bestOfN, combineValues } from "ballast/patterns";
import { resultUnion } from "ballast/schema";
import { openai } from "ballast/openai";
import { startSimulator, type Simulator } from "ballast/testing";

const Ticket = z.object({
  label: z.enum(["bug", "feature", "question", "billing", "other"]).describe("kind of ticket"),
  priority: z.number().int().min(1).max(5).describe("1 = low … 5 = urgent"),
  team: z.string().describe("owning team, one or two words"),
});

let sim: Simulator;
before(async () => {
  sim = await startSimulator({
    seed: 7,
    models: { noisy: { accuracy: 0.6 } },
    groundTruth: [{ match: "TICKET-42", answer: { label: "billing", priority: 4, team: "payments" } }],
  });
});
after(() => sim.close());
const model = (name: string) => openai(name, { baseURL: `${sim.url}/v1`, apiKey: "test" });
const bodiesFor = (name: string) =>
  sim.requests.filter((r) => (r.body as { model?: string })?.model === name).map((r) => r.body as Record<string, any>);

test("N seeded samples at temperature, combined field by field, with agreement per field", async () => {
  const llm = createBallast({ models: [model("noisy")], traces: false });
  const r = await bestOfN(llm, {
    nativeN: false,
    n: 9,
    schema: Ticket,
    instructions: "Triage the ticket.",
    input: "TICKET-42: I was charged twice.",
  });
  assert.equal(r.source, "combined");
  assert.deepEqual(r.value, { label: "billing", priority: 4, team: "payments" });
  assert.equal(r.samples.length, 9);
  assert.equal(r.failed.length, 0);
  for (const f of ["label", "priority", "team"]) assert.ok(r.confidence[f]! > 0.3 && r.confidence[f]! <= 1, `${f}: ${r.confidence[f]}`);
  assert.ok(
    r.samples.some((s) => s.value.label !== "billing" || s.value.team !== "payments"),
    "the samples really differ",
  );
  const bodies = bodiesFor("noisy");
  assert.deepEqual(
    bodies.map((b) => b.seed).sort((a, b) => a - b),
    [1, 2, 3, 4, 5, 6, 7, 8, 9],
  );
  assert.ok(bodies.every((b) => b.temperature === 0.7));
  assert.ok(r.usage.outputTokens > 9 && r.usage.inputTokens > 9);
  assert.ok(r.fields.find((f) => f.path === "label")?.votes?.[0]?.value === "billing");
});

test("invalid samples are excluded and reported; the rest are still combined", async () => {
  sim.script("half-broken", [{ text: "Sorry, no JSON today." }, { json: { label: "nonsense" } }]);
  const llm = createBallast({ models: [model("half-broken")], traces: false });
  const r = await bestOfN(llm, { nativeN: false, n: 5, schema: Ticket, input: "TICKET-42" });
  assert.equal(r.samples.length, 3);
  assert.equal(r.failed.length, 2);
  for (const f of r.failed) {
    assert.equal(f.error.kind, "all_attempts_failed");
    assert.equal(f.attempts[0]!.outcome, "invalid");
  }
  assert.equal(Ticket.safeParse(r.value).success, true);
  assert.ok(r.usage.outputTokens >= r.samples.reduce((s, x) => s + x.result.usage.outputTokens, 0), "failed samples' tokens are counted");
});

test("no valid sample: the fallback, or AllAttemptsFailedError carrying every attempt", async () => {
  const broken = Array.from({ length: 3 }, () => ({ text: "nope" }));
  sim.script("all-broken", broken);
  const llm = createBallast({ models: [model("all-broken")], traces: false });
  const fallback = { label: "other" as const, priority: 1, team: "triage" };
  const r = await bestOfN(llm, { nativeN: false, n: 3, schema: Ticket, input: "x", fallback });
  assert.equal(r.source, "fallback");
  assert.deepEqual(r.value, fallback);
  assert.equal(r.failed.length, 3);

  sim.script("all-broken", broken);
  await assert.rejects(
    bestOfN(llm, { nativeN: false, n: 3, schema: Ticket, input: "x" }),
    (e: unknown) => e instanceof AllAttemptsFailedError && e.attempts.length === 3,
  );
});

test("a caller combiner or a judge model decides instead of the vote", async () => {
  const llm = createBallast({ models: [model("noisy")], traces: false });
  let seen = 0;
  const mine = await bestOfN(llm, {
    n: 3,
    schema: Ticket,
    input: "TICKET-42",
    combine: (samples) => {
      seen = samples.length;
      return { ...samples[0]!, priority: 5 };
    },
  });
  assert.equal(mine.source, "combiner");
  assert.equal(seen, 3);
  assert.equal(mine.value.priority, 5);

  sim.script("judge", [{ json: { label: "billing", priority: 3, team: "finance" } }]);
  const judged = await bestOfN(llm, { nativeN: false, n: 3, schema: Ticket, input: "TICKET-42", judge: { models: [model("judge")] } });
  assert.equal(judged.source, "judge");
  assert.deepEqual(judged.value, { label: "billing", priority: 3, team: "finance" });
  const judgeBody = bodiesFor("judge").at(-1)!;
  assert.match(JSON.stringify(judgeBody.messages), /candidates/);
  assert.ok(judged.usage.inputTokens > mine.usage.inputTokens / 2, "the judge's tokens are in the total");
});

test("combineValues: vote, median, union with votes, medoid for long text, shape vote for unions", () => {
  const long = (s: string) => `${s} the customer reports a double charge on the March invoice and wants a refund`;
  const c = combineValues(
    [
      { ok: true, n: 3, tags: ["a", "b"], note: long("First,"), kind: "x" },
      { ok: true, n: 9, tags: ["a", "c"], note: long("Second:"), kind: "x" },
      { ok: false, n: 4, tags: ["a", "b", "d"], note: "completely unrelated text about weather in Paris and trains", kind: "y" },
    ],
    { fields: { kind: "vote" }, shortText: 40 },
  );
  assert.deepEqual(c.value, { ok: true, n: 4, tags: ["a", "b"], note: long("First,"), kind: "x" });
  const byPath = Object.fromEntries(c.fields.map((f) => [f.path, f]));
  assert.equal(byPath.ok!.strategy, "vote");
  assert.equal(byPath.ok!.agreement, 2 / 3);
  assert.equal(byPath.n!.strategy, "median");
  assert.equal(byPath.tags!.strategy, "union");
  assert.deepEqual(byPath.tags!.votes, [
    { value: "a", count: 3 },
    { value: "b", count: 2 },
    { value: "c", count: 1 },
    { value: "d", count: 1 },
  ]);
  assert.equal(byPath.note!.strategy, "medoid");

  const numbers = [48, 49, 49, 54, 55, 56, 58];
  assert.equal(combineValues(numbers, { fields: {}, shortText: 40 }).value, 49, "exact agreement beats the median");
  assert.equal(combineValues(numbers, { fields: { "(root)": "median" }, shortText: 40 }).value, 54);

  const u = combineValues(
    [
      { status: "error", error: "x" },
      { status: "success", label: "a" },
      { status: "success", label: "a" },
    ],
    { fields: {}, shortText: 40 },
  );
  assert.deepEqual(u.value, { status: "success", label: "a" });
  assert.equal(u.fields[0]!.strategy, "shape");
});

test("a resultUnion answer: the branch is voted first, so success and error fields never mix", async () => {
  const Answer = resultUnion(z.object({ label: z.string().describe("the label") }), { errors: ["not_applicable"] });
  sim.script("union-votes", [
    { json: { value: { status: "success", label: "refund" } } },
    { json: { value: { status: "error", error: "not_applicable", message: "not a ticket" } } },
    { json: { value: { status: "success", label: "refund" } } },
  ]);
  const llm = createBallast({ models: [model("union-votes")], traces: false });
  const r = await bestOfN(llm, { nativeN: false, n: 3, schema: Answer, input: "x", fallback: Answer.fail("not_applicable") });
  assert.equal(r.source, "combined");
  assert.deepEqual(r.value, { status: "success", label: "refund" });
  assert.equal(r.confidence["(root)"], 2 / 3, "agreement on the branch");
  assert.equal(r.confidence.label, 1);
});

test("native n: one request samples every choice where the provider supports it, billed once", async () => {
  const llm = createBallast({ models: [model("native-n")], traces: false });
  const r = await bestOfN(llm, { n: 5, schema: Ticket, instructions: "Triage the ticket.", input: "TICKET-42: charged twice" });
  const bodies = bodiesFor("native-n");
  assert.equal(bodies.length, 1, "one request");
  assert.equal(bodies[0]!.n, 5);
  assert.equal(bodies[0]!.temperature, 0.7);
  assert.equal(r.samples.length + r.failed.length, 5);
  assert.ok(r.samples.length >= 1);
  assert.equal(new Set(r.samples.map((s) => s.result)).size, 1, "the samples share one result");
  assert.equal(r.usage.inputTokens, r.samples[0]!.result.usage.inputTokens, "the prompt is counted once");
});

test("generate with n returns every valid choice in r.samples", async () => {
  const llm = createBallast({ models: [model("gen-n")], traces: false });
  const r = await llm.generate({ schema: Ticket, input: "TICKET-42", n: 3, temperature: 1 });
  assert.equal(r.samples?.length, 3);
  assert.deepEqual(r.samples![0], r.value);
  assert.equal(r.invalidSamples, 0);
});
