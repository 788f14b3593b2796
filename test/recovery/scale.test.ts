/**
 * recover() at scale and on broken escapes: many top-level values (no stack overflow from spreading them
 * as call arguments), invalid `\u` escapes kept as text, and strings cut inside an escape sequence.
 */
import assert from "node:assert/strict";
import { test } from "node:test";
import { createIncrementalParser, recover } from "../../src/recovery/index.js";

test("150,000 top-level values are all recovered", () => {
  const result = recover('{"a":1}\n'.repeat(150_000));
  assert.ok(result.ok, result.ok ? "" : result.error);
  assert.ok(Array.isArray(result.value));
  assert.equal(result.value.length, 150_000);
  assert.deepEqual(result.value[149_999], { a: 1 });
  assert.ok(result.steps.includes("multiple_values"));
});

test("150,000 top-level values with a schema: the array schema takes them all, the object schema one", () => {
  const text = '{"a":1}\n'.repeat(150_000);
  const item = { type: "object", properties: { a: { type: "integer" } }, required: ["a"] };
  const many = recover(text, { schema: { type: "array", items: item } });
  assert.ok(many.ok, many.ok ? "" : many.error);
  assert.equal((many.value as unknown[]).length, 150_000);
  const one = recover(text, { schema: item });
  assert.deepEqual(one.ok && one.value, { a: 1 });
});

test("150,000 values mixed with separators and broken ones", () => {
  const text = "{'a': 1,}, [2,]\n".repeat(75_000);
  const result = recover(text);
  assert.ok(result.ok, result.ok ? "" : result.error);
  assert.equal((result.value as unknown[]).length, 150_000);
  assert.deepEqual((result.value as unknown[]).slice(0, 2), [{ a: 1 }, [2]]);
});

test("many values found in prose", () => {
  const text = "value {'a': 1} and ".repeat(130_000);
  const result = recover(text);
  assert.ok(result.ok, result.ok ? "" : result.error);
  assert.deepEqual(result.value, { a: 1 });
});

test("an invalid \\u escape inside a container is kept as the text the model wrote", () => {
  for (const [text, expected] of [
    [String.raw`{"c": "a\uZZZZb", "d": 1}`, { c: String.raw`a\uZZZZb`, d: 1 }],
    [String.raw`{"c": "a\u12G4b"}`, { c: String.raw`a\u12G4b` }],
    [String.raw`{"c": "\u12"}`, { c: String.raw`\u12` }],
    [String.raw`["x\u", "y"]`, [String.raw`x\u`, "y"]],
    [String.raw`{'c': 'pa\uth\u0041'}`, { c: String.raw`pa\uthA` }],
  ] as const) {
    const result = recover(text);
    assert.ok(result.ok, `${text}: ${result.ok ? "" : result.error}`);
    assert.deepEqual(result.value, expected, text);
    assert.ok(result.steps.includes("invalid_escape"), `${text}: ${result.steps}`);
  }
});

test("an invalid \\u escape with a schema still gives the schema's value", () => {
  const schema = { type: "object", properties: { path: { type: "string" }, n: { type: "integer" } }, required: ["path", "n"] };
  const result = recover(String.raw`{"path": "C:\users\new", "n": "3"}`, { schema });
  assert.ok(result.ok, result.ok ? "" : result.error);
  assert.deepEqual(result.value, { path: String.raw`C:\users` + "\new", n: 3 });
});

test("a bare string whose only content is a broken escape is not recovered", () => {
  assert.equal(recover(String.raw`"\uZ000"`).ok, false);
});

test("a string cut inside a \\u escape or a surrogate pair loses the partial character only", () => {
  for (const [text, expected] of [
    [String.raw`{"c": "Par\u00`, "Par"],
    [String.raw`{"c": "Par\u`, "Par"],
    [String.raw`{"c": "Par\ud83d`, "Par"],
    ['{"c": "Par\\ud83d\\', "Par"],
    [String.raw`{"c": "Par\ud83d\u`, "Par"],
    [String.raw`{"c": "Par\ud83d\ude`, "Par"],
    [String.raw`{"c": "Par\ud83d\ude00`, "Par\u{1f600}"],
    [String.raw`{"c": "Par\u00e9`, "Paré"],
  ] as const) {
    const result = recover(text);
    assert.ok(result.ok, text);
    assert.deepEqual(result.value, { c: expected }, text);
    assert.ok(result.steps.includes("truncated"), `${text}: ${result.steps}`);
  }
});

test("a complete lone surrogate escape is kept (it was written, not cut)", () => {
  const result = recover(String.raw`{"c": "x\ud83dy"}`);
  assert.ok(result.ok);
  assert.equal((result.value as { c: string }).c, "x\ud83dy");
});

test("streamed, an invalid \\u escape shows as the written text, even split across chunks", () => {
  for (const chunks of [['{"a": "x\\uZZZZy", "b": 1}'], ['{"a": "x\\u12', '", "b": 1}'], ['{"a": "x\\u0', '0e9", "b": 1}']]) {
    const parser = createIncrementalParser();
    let partial: unknown;
    for (const chunk of chunks) partial = parser.push(chunk).value;
    const final = parser.end();
    assert.ok(final.ok, chunks.join(""));
    assert.deepEqual(partial, final.value, chunks.join(""));
    assert.equal(typeof (final.value as { a: string }).a, "string");
  }
  const parser = createIncrementalParser();
  parser.push('{"a": "x\\u12');
  parser.push('", "b": 1}');
  assert.deepEqual(parser.end(), { ok: true, value: { a: "x\\u12", b: 1 }, steps: ["invalid_escape"] });
});
