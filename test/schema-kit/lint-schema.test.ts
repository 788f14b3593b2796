// lintSchema through the public API: each design rule fires on a schema that breaks it (with the field
// path and a fix) and stays quiet on a well-designed one; provider strict-mode findings for OpenAI and Anthropic.
import assert from "node:assert/strict";
import { test } from "node:test";
import { z } from "zod";
import { lintSchema, resultUnion, scored, withJustification } from "ballast/schema";
import { openai } from "ballast/openai";

const rules = (ws: ReturnType<typeof lintSchema>) => ws.map((w) => `${w.rule}@${w.path}`);

test("a well-designed schema has no warnings", () => {
  const Good = withJustification(
    z.object({
      label: z.enum(["bug", "feature", "question"]).describe("what the ticket is"),
      priority: z.number().int().min(1).max(3).describe("urgency: 1 = can wait, 2 = this week, 3 = today"),
    }),
  );
  assert.deepEqual(lintSchema(Good, { provider: "openai" }), []);
});

test("each rule names the field and suggests a fix", () => {
  const Bad = z.object({
    answer: z.string().describe("the answer"),
    reasoning: z.string().describe("why"),
    quality_score: z.number().describe("how good"),
    meta: z.record(z.string(), z.string()).describe("anything"),
    anything: z.any().describe("free"),
    status: z.enum(["in_progress", "in-progress", "done"]).describe("state"),
    shape: z.union([z.object({ radius: z.number() }), z.object({ side: z.number() })]).describe("a shape"),
    a: z.object({ b: z.object({ c: z.object({ d: z.string().describe("deep") }).describe("c") }).describe("b") }).describe("a"),
    undocumented: z.string(),
  });
  const got = rules(lintSchema(Bad));
  for (const expected of [
    "reasoning_after_answer@reasoning",
    "score_without_rubric@quality_score",
    "free_form@meta",
    "free_form@anything",
    "near_duplicate_enum@status",
    "union_without_discriminator@shape",
    "deep_nesting@a.b.c",
    "missing_description@undocumented",
  ]) {
    assert.ok(got.includes(expected), `${expected} in ${got.join(", ")}`);
  }
  for (const w of lintSchema(Bad)) assert.ok(w.fix.length > 10 && w.message.length > 10);
  assert.ok(!rules(lintSchema(Bad, { warningsOnly: true })).some((r) => r.startsWith("missing_description")));
});

test("discriminated unions, resultUnion and scored pass the union and rubric rules", () => {
  const Answer = resultUnion(z.object({ label: z.string().describe("the label") }), { errors: ["not_applicable"] });
  assert.ok(!rules(lintSchema(Answer)).some((r) => r.startsWith("union_without_discriminator")));
  const rubric = scored({ criteria: { clarity: "0 = unreadable, 5 = crisp", accuracy: "0 = wrong, 5 = exact" }, scale: [0, 5] });
  assert.deepEqual(
    lintSchema(rubric.schema, { provider: "openai" }).filter((w) => w.severity === "warning"),
    [],
  );
});

test("provider strict-mode findings: OpenAI drops string lengths and free-form records; Anthropic numeric bounds", () => {
  const S = z.object({
    name: z.string().min(2).max(20).describe("a name"),
    age: z.number().min(0).max(150).describe("age in years"),
    tags: z.array(z.string()).min(2).describe("tags"),
    extra: z.record(z.string(), z.number()).describe("extras"),
  });
  const oa = lintSchema(S, { provider: openai("gpt-4o", { apiKey: "x" }) }).filter((w) => w.rule === "provider_unsupported");
  assert.ok(oa.some((w) => w.path === "name" && /minLength/.test(w.message)));
  assert.ok(oa.some((w) => w.path === "extra" && /strict: false/.test(w.message)));
  const an = lintSchema(S, { provider: "anthropic" }).filter((w) => w.rule === "provider_unsupported");
  assert.ok(an.some((w) => w.path === "age" && /minimum/.test(w.message)));
  assert.ok(an.some((w) => w.path === "tags" && /minItems 2/.test(w.message)));
  assert.ok(!lintSchema(S).some((w) => w.rule === "provider_unsupported"), "no provider: no provider findings");
});

test("a JSON Schema object is accepted as is", () => {
  const ws = lintSchema({ type: "object", properties: { x: { type: "object" } } });
  assert.ok(rules(ws).includes("free_form@x"));
});
