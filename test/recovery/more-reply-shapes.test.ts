/**
 * More broken reply shapes, through the public recover(): a comma written where a key's colon belongs; a
 * number written with a decimal comma; a lone stray quote among the closers that end a reply; a set literal
 * of numbers; text glued to the bracket closing a list's element; a reply cut inside a key that lost its
 * closing quote; a colon after a member's value; a quote then a colon, or a comma then a list, after a string
 * value.
 */
import assert from "node:assert/strict";
import { test } from "node:test";
import { recover } from "ballast/recovery";

function value(text: string, schema?: object): unknown {
  const r = recover(text, schema === undefined ? {} : { schema: schema as never });
  assert.ok(r.ok, r.ok ? "" : r.error);
  return r.value;
}

test("a comma written where a key's colon belongs, before a value that is no string", () => {
  assert.deepEqual(value('{"key", 105}'), { key: 105 });
  assert.deepEqual(value('{"a": 1, "b", [2, 3]}'), { a: 1, b: [2, 3] });
  assert.deepEqual(value('{"a", {"b": true}, "c": null}'), { a: { b: true }, c: null });
  assert.deepEqual(value('{"a", true}'), { a: true });
  // quoted strings after the comma stay a set literal, or a member with no value before a key
  assert.deepEqual(value('{"a", "b"}'), ["a", "b"]);
  assert.deepEqual(value('{"a": 1, "b", "c": 2}'), { a: 1, b: null, c: 2 });
  assert.deepEqual(value('{"a": 1, "b", c: 2}'), { a: 1, b: null, c: 2 });
  assert.equal(recover('{"a", }').ok, false);
});

test("an object value written with a decimal comma keeps the text written", () => {
  assert.deepEqual(value('{"price": 105,12}'), { price: "105,12" });
  assert.deepEqual(value('{"t": -3,5 , "u": 1}'), { t: "-3,5", u: 1 });
  assert.deepEqual(value('{"key", 105,12,'), { key: "105,12" });
  // with a schema that wants a number, the comma is read as the decimal point; three digits make a group
  const schema = { type: "object", properties: { price: { type: "number" } }, required: ["price"] };
  assert.deepEqual(value('{"price": 105,12}', schema), { price: 105.12 });
  assert.deepEqual(value('{"price": 2,000}', schema), { price: 2000 });
  assert.deepEqual(value('{"price": "3,5"}', schema), { price: 3.5 });
  // digits that a colon follows are a key; several groups, lists and numbers with decimals are as before
  assert.deepEqual(value('{"a": 1,2: 3}'), { a: 1, 2: 3 });
  assert.deepEqual(value('{"a": 1,2,3}'), { a: 1 });
  assert.deepEqual(value('{"a": 1.5,2}'), { a: 1.5 });
  assert.deepEqual(value("[105,12]"), [105, 12]);
  assert.deepEqual(value('{"a": [1,2], "b": 3,4}'), { a: [1, 2], b: "3,4" });
});

test("a lone quote among the closers that end a reply is stray", () => {
  assert.deepEqual(value('{"a": "hello\n"\n",}'), { a: "hello" });
  assert.deepEqual(value('{"a": "hello"\n",'), { a: "hello" });
  assert.deepEqual(value('{"a": "hello", "}'), { a: "hello" });
  assert.deepEqual(value('{"a": 1 "}'), { a: 1 });
  assert.deepEqual(value('{"a": {"b": "x" "}}'), { a: { b: "x" } });
  const stray = recover('{"a": "hello"\n"}');
  assert.ok(stray.ok && !stray.steps.includes("truncated"), String(stray.steps));
  // a quotation opened inside the string is closed by it, and a cut right after a key's quote is a cut
  assert.deepEqual(value('{"a": "he said "hi"\n"}'), { a: 'he said "hi"' });
  assert.deepEqual(value('{"a": "x", "'), { a: "x" });
  assert.deepEqual(value('{"a": "x" "b": 2}'), { a: "x", b: 2 });
});

test("a set literal of numbers is read as an array", () => {
  assert.deepEqual(value("{1, 2, 3}"), [1, 2, 3]);
  assert.deepEqual(value('{"a": {1, 2.5}, "b": { -1 }}'), { a: [1, 2.5], b: [-1] });
  assert.deepEqual(value('[{5}, {2, "x"}]'), [[5], [2, "x"]]);
  // a number that a colon follows is a key, and only the first member can open a set
  assert.deepEqual(value("{1: 2}"), { 1: 2 });
  assert.deepEqual(value('{"a": 1, 2}'), { a: 1 });
});

test("in a list, text glued to the bracket closing the element before it is junk", () => {
  assert.deepEqual(value('[{"a": 1}x, {"b": 2}]'), [{ a: 1 }, { b: 2 }]);
  assert.deepEqual(value("[[1]abc def, 2]"), [[1], 2]);
  assert.deepEqual(value("[{5}s "), [[5]]);
  // keywords are values, and a word after a space is an element whose comma was lost
  assert.deepEqual(value("[[1]null, {}True]"), [[1], null, {}, true]);
  assert.deepEqual(value("[[1] x]"), [[1], "x"]);
  assert.deepEqual(value('[[1]"b"]'), [[1], "b"]);
});

test("a reply cut inside a key that lost its closing quote before its colon", () => {
  assert.deepEqual(value('{"a": 1, "b: 2'), { a: 1, b: 2 });
  assert.deepEqual(value('{"a": 1, "b: "x'), { a: 1, b: "x" });
  // the string before it ends at the comma, whatever quote opened the key
  assert.deepEqual(value('{"key": "val\\n123,`key2:value2'), { key: "val\n123", key2: "value2" });
  assert.deepEqual(value('{"key": "one, two, \'next: 3'), { key: "one, two", next: 3 });
  // a colon of a time or a URL is text; no colon after the quote, no key
  assert.deepEqual(value('{"at 12:30'), { "at 12:30": null });
  assert.deepEqual(value('{"a": 1, "https://x.com/a'), { a: 1, "https://x.com/a": null });
  assert.deepEqual(value('{"key": "it\'s, \'quoted words'), { key: "it's, 'quoted words" });
});

test("a colon after a member's value starts junk, not a failure", () => {
  assert.deepEqual(value('{"a": "x": 1, "b": 2}'), { a: "x", b: 2 });
  assert.deepEqual(value('{"a": 1: {"c": [2]}, "b": 2}'), { a: 1, b: 2 });
  assert.deepEqual(value('{"a": "x": }'), { a: "x" });
  assert.deepEqual(value('{"a": "x": {"c": 1'), { a: "x" });
  // a list whose braces were forgotten still becomes an object
  assert.deepEqual(value('["k": "v"]'), [{ k: "v" }]);
});

test("inside a string value, a quote then a colon ends it unless a quoted key was opened in it", () => {
  assert.deepEqual(value('{"msg": "Error (code": 5, "b": 1}'), { msg: "Error (code", b: 1 });
  assert.deepEqual(value('{"msg": "see [note": "x", "b": 1}'), { msg: "see [note", b: 1 });
  // a JSON text written inside the string, its keys quoted, stays whole
  assert.deepEqual(value('{"a": "{"b": 1}"}'), { a: '{"b": 1}' });
  assert.deepEqual(value('{"a": "[{"b": "c"}]", "d": 2}'), { a: '[{"b": "c"}]', d: 2 });
});

test("after the top-level value, a lone quote among the closers that end the reply is stray", () => {
  assert.deepEqual(value('{"a": 1}"}'), { a: 1 });
  assert.deepEqual(value('[1]"]'), [1]);
  assert.deepEqual(value('{ "a" : "{ b": {} }" }'), { a: "{ b" });
  // a string after it is another value
  assert.deepEqual(value('{"a": 1}, "b"]'), [{ a: 1 }, "b"]);
});

test("a string value followed by a comma and a list where a key belongs ends at its quote", () => {
  assert.deepEqual(value('{"key": ["v"], "key3": "value3", ["v1"] }'), { key: ["v"], key3: "value3" });
  assert.deepEqual(value('{"a": "x", [1, 2], "b": 3}'), { a: "x", b: 3 });
  // after a list value the stray list's elements join it, as before
  assert.deepEqual(value('{"a": ["x"], ["y"], "b": 3}'), { a: ["x", "y"], b: 3 });
  // a quotation open inside the string keeps the comma and bracket as text
  assert.deepEqual(value('{"text": "He said "no", [pause] then left"}'), { text: 'He said "no", [pause] then left' });
});
