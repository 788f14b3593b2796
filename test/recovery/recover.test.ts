/**
 * recover() behaviour beyond the corpus: provenance steps, strictness, extraction (fences, <think>, prose,
 * double encoding), choosing among several values by schema fit, and schema-aware quote disambiguation.
 */
import assert from "node:assert/strict";
import { test } from "node:test";
import { recover, RISKY_STEPS, stepKind } from "../../src/recovery/index.js";

test("valid JSON takes the fast path with no steps", () => {
  assert.deepEqual(recover('{"a": [1, "x"]}'), { ok: true, value: { a: [1, "x"] }, steps: [] });
});

test("every repair is listed as a step", () => {
  const result = recover("```json\n{'a': True, b: [1, 2,], // note\n 'c': None}\n```");
  assert.ok(result.ok);
  assert.deepEqual(result.value, { a: true, b: [1, 2], c: null });
  for (const step of ["fence", "single_quotes", "python_literal", "unquoted_key", "trailing_comma", "comment"]) {
    assert.ok(result.steps.includes(step), `missing step ${step} in ${result.steps}`);
  }
});

test("strict: true refuses risky repairs but accepts harmless ones", () => {
  assert.equal(recover("{'a': 1,}", { strict: true }).ok, true);
  const cut = recover('{"a": "hel', { strict: true });
  assert.equal(cut.ok, false);
  assert.ok(!cut.ok && /truncated/.test(cut.error));
  assert.ok(RISKY_STEPS.includes("truncated"));
});

test("strict: a list of refused step kinds, or an allow predicate", () => {
  assert.equal(recover("{'a': 1}", { strict: ["single_quotes"] }).ok, false);
  assert.equal(recover("{'a': 1}", { strict: ["trailing_comma"] }).ok, true);
  assert.equal(recover("{a: 1}", { strict: (step) => step !== "unquoted_key" }).ok, false);
  assert.equal(stepKind("coerce:number@score"), "coerce:number");
});

test("extraction: <think> blocks, BOM and zero-width characters, prose around JSON", () => {
  const think = recover('<think>maybe {"a": 0}?</think>\n\ufeff{"a":\u200b 1}');
  assert.deepEqual(think.ok && think.value, { a: 1 });
  const prose = recover('Sure! The result is {"ok": true, "items": [1, 2]} as requested.');
  assert.deepEqual(prose.ok && prose.value, { ok: true, items: [1, 2] });
  assert.ok(prose.ok && prose.steps.includes("prose"));
});

test("extraction: several fences, the last one unterminated", () => {
  const result = recover('First:\n```json\n{"a": 1}\n```\nThen:\n```json\n{"b": [1, 2');
  assert.deepEqual(result.ok && result.value, [{ a: 1 }, { b: [1, 2] }]);
});

test("extraction: a double-encoded document", () => {
  const result = recover('{\\"name\\": \\"Ada\\", \\"n\\": 2}');
  assert.deepEqual(result.ok && result.value, { name: "Ada", n: 2 });
  const schema = { type: "object", properties: { name: { type: "string" } } };
  const nested = recover(JSON.stringify(JSON.stringify({ name: "Ada" })), { schema });
  assert.deepEqual(nested.ok && nested.value, { name: "Ada" });
});

test("several top-level values: the schema picks the one that fits, not the first", () => {
  const schema = {
    type: "object",
    properties: { sentiment: { type: "string" }, score: { type: "number" } },
    required: ["sentiment", "score"],
  };
  const text = 'Example: {"name": "x"}\nAnswer: {"sentiment": "positive", "score": 0.9}';
  const result = recover(text, { schema });
  assert.deepEqual(result.ok && result.value, { sentiment: "positive", score: 0.9 });
});

test("unescaped inner quotes: lookahead for the next key or closer", () => {
  const result = recover('{"quote": "she said "hi" and left", "n": 1}');
  assert.deepEqual(result.ok && result.value, { quote: 'she said "hi" and left', n: 1 });
  assert.ok(result.ok && result.steps.includes("inner_quote"));
  const inArray = recover('["a "quoted" word", "b"]');
  assert.deepEqual(inArray.ok && inArray.value, ['a "quoted" word', "b"]);
});

test("truncation at any point yields the complete prefix", () => {
  const doc = JSON.stringify({ id: 7, name: "Ada Lovelace", tags: ["math", "poetry"], nested: { ok: true, n: -1.5 } });
  for (let cut = 1; cut < doc.length; cut++) {
    const result = recover(doc.slice(0, cut));
    assert.ok(result.ok, `cut at ${cut}: ${doc.slice(0, cut)}`);
    assert.equal(typeof result.value, "object");
  }
});

test("with a schema, only its property names count as the next member after a quote", () => {
  const schema = { type: "object", properties: { summary: { type: "string" }, score: { type: "number" } } };
  const text = '{"summary": "keys like "x", "y": 2 appear", "score": 1}';
  const result = recover(text, { schema });
  assert.deepEqual(result.ok && result.value, { summary: 'keys like "x", "y": 2 appear', score: 1 });
});
