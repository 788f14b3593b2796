/**
 * Smaller value shapes the public corpora showed recover() missing: parenthesised unquoted text, numbers
 * with thousands separators, a list cut after a sign, a lone stray brace in a list, and blank lines inside
 * fenced code strings.
 */
import assert from "node:assert/strict";
import { test } from "node:test";
import { recover } from "../../src/recovery/index.js";

function value(text: string, schema: unknown = null): unknown {
  const result = recover(text, { schema: schema as never });
  assert.ok(result.ok, `${text}\n-> ${result.ok ? "" : result.error}`);
  return result.value;
}

test("commas and colons inside parentheses of an unquoted value are text", () => {
  assert.deepEqual(value("{sig: function f(a: number, b: string): void, name: x}"), {
    sig: "function f(a: number, b: string): void",
    name: "x",
  });
  assert.deepEqual(value("[run g(h(1, 2), 3), next]"), ["run g(h(1, 2), 3)", "next"]);
  // a parenthesis left open does not swallow the following members
  assert.deepEqual(value("{a: see f(x, b: 2}"), { a: "see f(x", b: 2 });
  assert.deepEqual(value('{a: see f(x, "b": 2}'), { a: "see f(x", b: 2 });
});

test("many unclosed parentheses stay linear", () => {
  const text = `{a: ${"(x, ".repeat(20_000)}b: 1}`;
  const result = recover(text);
  assert.ok(result.ok);
});

test("thousands separators in numbers that have decimals", () => {
  assert.deepEqual(value('{"amount": -2,000.00, "n": 1}'), { amount: -2000, n: 1 });
  assert.deepEqual(value('{"amount": 1,234,567.5}'), { amount: 1234567.5 });
  const schema = { type: "object", properties: { total: { type: "number" } }, required: ["total"] };
  assert.deepEqual(value('{"total": 12,500.75}', schema), { total: 12500.75 });
  // without decimals a comma separates numbers, as in JSON
  assert.equal((value("[1,000]") as unknown[]).length, 2);
  assert.equal((value("[1,000,2]") as unknown[]).length, 3);
  // not three digits: not a group
  assert.deepEqual(value("[1,00.5]"), [1, "00.5"]);
});

test("a list cut right after a minus sign has no extra element", () => {
  assert.deepEqual(value("[- "), []);
  assert.deepEqual(value("[1, -"), [1]);
  assert.deepEqual(value("[1, - \n"), [1]);
  // a lone minus that is not at the cut is still read as before
  assert.equal(value("-"), 0);
});

test("a lone stray brace in a list", () => {
  assert.deepEqual(value("[{]"), []);
  assert.deepEqual(value("[{{]"), [{}, {}]);
  assert.deepEqual(value("[1, {]"), [1, {}]);
  assert.deepEqual(value("[{}]"), [{}]);
});

test("blank lines of fenced code inside a value are empty lines", () => {
  const text = '{"code": ```\nif (a) {\n  b();\n  \n}\n  \nc();\n```}';
  assert.deepEqual(value(text), { code: "if (a) {\n  b();\n\n}\n\nc();" });
});

test("a # comment after a quoted value ends the string", () => {
  assert.deepEqual(value('{"a": "x" # note\n, "b": 1}'), { a: "x", b: 1 });
  assert.deepEqual(value('{"a": "issue "#12" fixed"}'), { a: 'issue "#12" fixed' });
});
