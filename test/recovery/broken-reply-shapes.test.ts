/**
 * Broken reply shapes beyond the corpus, through the public recover(): a fenced JSON block written inside
 * a string value with its quotes unescaped; a table row that lost its opening bracket;
 * a key whose opening quote was doubled; concatenation whose first string lost its closing quote before a
 * comment; a reply cut inside a hex escape or after spaces; a string that lost its closing quote with a
 * bracket then quotes in it; list elements whose `}, {` was lost; an empty string where a key belongs.
 */
import assert from "node:assert/strict";
import { test } from "node:test";
import { recover } from "ballast/recovery";

function value(text: string, schema?: object): unknown {
  const r = recover(text, schema === undefined ? {} : { schema: schema as never });
  assert.ok(r.ok, r.ok ? "" : r.error);
  return r.value;
}

test("a fenced JSON block inside a string value is the value it holds", () => {
  assert.deepEqual(value('{"result": "```json\n{"name": "Ada", "langs": ["en"]}\n```", "n": 1}'), {
    result: { name: "Ada", langs: ["en"] },
    n: 1,
  });
  assert.deepEqual(value('["```[1, 2]```", "```json {"a": "b"}``` "]'), [[1, 2], { a: "b" }]);
  // not a whole JSON value, or text after the fence: the string stays a string
  assert.deepEqual(value('{"a": "```js\nf("x")\n```", "b": 2}'), { a: '```js\nf("x")\n```', b: 2 });
  assert.deepEqual(value('{"a": "```{"k": 1}``` and "more"", "b": 2}'), { a: '```{"k": 1}``` and "more"', b: 2 });
});

test("with a schema, a fenced block inside a string is decoded only where structure is wanted", () => {
  const inner = { type: "object", properties: { k: { type: "integer" }, tags: { type: "array", items: { type: "string" } } } };
  const wantsObject = { type: "object", properties: { a: inner }, required: ["a"] };
  const wantsText = { type: "object", properties: { a: { type: "string" } }, required: ["a"] };
  const unescaped = '{"a": "```json {"k": 7, "tags": ["x", "y"]}```"}';
  assert.deepEqual(value(unescaped, wantsObject), { a: { k: 7, tags: ["x", "y"] } });
  assert.deepEqual(value(JSON.stringify({ a: '```json\n{"k": 7, "tags": ["x"]}\n```' }), wantsObject), { a: { k: 7, tags: ["x"] } });
  assert.deepEqual(value(unescaped, wantsText), { a: '```json {"k": 7, "tags": ["x", "y"]}```' });
});

test("a row of a table that lost its opening bracket is one row again", () => {
  const text = '{"header": ["name", "age"], "rows": [["Ada", 36], ["Bob", 4], "Cy", 7], ["Di", 9]]}';
  assert.deepEqual(value(text), {
    header: ["name", "age"],
    rows: [
      ["Ada", 36],
      ["Bob", 4],
      ["Cy", 7],
      ["Di", 9],
    ],
  });
  // the last row, with the list's own `]` left over
  assert.deepEqual(value('[["a", 1], ["b", 2], "c", 3]]'), [
    ["a", 1],
    ["b", 2],
    ["c", 3],
  ]);
  // scalars that do not make a row of the same length stay elements
  assert.deepEqual(value('{"k": [[1, 2, 3], "a", "b"], [[4, 5, 6]]}'), { k: [[1, 2, 3], "a", "b", [4, 5, 6]] });
  assert.deepEqual(value('{"k": [[1, 2], "a", "b"], "n": 1,}'), { k: [[1, 2], "a", "b"], n: 1 });
});

test("a key whose opening quote was doubled, then a space, is that key", () => {
  assert.deepEqual(value('{"" name": "Ada", "age": 36,}'), { " name": "Ada", age: 36 });
  // an empty key with its colon is an empty key
  assert.deepEqual(value('{"" : "v", "b": 1,}'), { "": "v", b: 1 });
});

test("concatenation whose first string lost its closing quote before a comment", () => {
  assert.deepEqual(value('{"a": "x /* first part */ + "y", "b": 1,}'), { a: "xy", b: 1 });
  assert.deepEqual(value('["abc/* note */+"def"]'), ["abcdef"]);
});

test("a reply cut inside a hex escape JSON does not have loses that escape", () => {
  assert.deepEqual(value('{"a": "caf\\x'), { a: "caf" });
  assert.deepEqual(value('{"a": "smile \\U0001F6'), { a: "smile " });
  // a whole one inside the string stays text, as other escapes JSON does not know
  assert.deepEqual(value('{"a": "b\\x41 c", "n": 1,}'), { a: "b\\x41 c", n: 1 });
});

test("a cut string keeps the spaces written before the cut, not an escaped line break", () => {
  assert.deepEqual(value('{"a": "two words '), { a: "two words " });
  assert.deepEqual(value('{"a": "line\\n'), { a: "line" });
});

test("a string that lost its closing quote, with a bracket then quotes in it, before the final closer", () => {
  // a quotation after the bracket: the bracket was text, and the string runs to the final closer
  assert.deepEqual(value('{"note": "see {1, 2} and [3] "here" too}'), { note: 'see {1, 2} and [3] "here" too' });
  assert.deepEqual(value('{"note": "a} b "c" d}'), { note: 'a} b "c" d' });
  // one unpaired quote after it: that quote closed the string, and the words after it are junk
  assert.deepEqual(value('{"note": "a] b "junk}'), { note: "a] b " });
  // no quotes after it: the string ends at the bracket, as before
  assert.deepEqual(value('{"note": "a} b: c}'), { note: "a" });
});

test("a key met again inside an element of a list starts the next element", () => {
  assert.deepEqual(value('[{"name": "Ada", "age": 36, "name": "Bob", "age": 4,}]'), [
    { name: "Ada", age: 36 },
    { name: "Bob", age: 4 },
  ]);
  assert.deepEqual(value('{"people": [{"name": "Ada", "name": "Bob"'), { people: [{ name: "Ada" }, { name: "Bob" }] });
  // outside a list, the last value of a repeated key wins, as in JSON.parse (which also reads valid JSON)
  assert.deepEqual(value('{"name": "Ada", "name": "Bob",}'), { name: "Bob" });
});

test("an empty string where a key belongs, with no colon, holds nothing", () => {
  assert.deepEqual(value('{"a": 1, "" "b": 2}'), { a: 1, b: 2 });
  assert.deepEqual(value('[{"a": 1}, {"""" "a": 2}]'), [{ a: 1 }, { a: 2 }]);
  assert.deepEqual(value('{"": 1, "b": 2,}'), { "": 1, b: 2 });
});
