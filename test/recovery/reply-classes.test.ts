/**
 * Classes of broken replies recovery must keep handling, each through the public recover(text, { schema }):
 * a tool-call wrapper around the arguments (an object, or JSON text), JSON encoded as a string inside a
 * union branch, a cut-off list of records whose last record cannot be completed, an object that lost its
 * opening brace, and a reply cut inside an escape sequence.
 */
import assert from "node:assert/strict";
import { test } from "node:test";
import { recover } from "ballast/recovery";

const person = {
  type: "object",
  properties: { name: { type: "string" }, age: { type: "integer" } },
  required: ["name", "age"],
  additionalProperties: false,
} as const;

function value(text: string, schema: object | null): unknown {
  const r = recover(text, schema === null ? {} : { schema: schema as never });
  assert.ok(r.ok, r.ok ? "" : r.error);
  return r.value;
}

const ada = { name: "Ada", age: 36 };
const adaText = JSON.stringify(ada);

test("tool-call wrappers: arguments as an object, as JSON text, cut off, or under a provider's shape", () => {
  assert.deepEqual(value(`{"name": "save_person", "arguments": ${adaText}}`, person), ada);
  assert.deepEqual(value(JSON.stringify({ name: "save_person", arguments: adaText }), person), ada);
  assert.deepEqual(value(JSON.stringify({ name: "save_person", arguments: adaText.slice(0, -1) }), person), ada);
  assert.deepEqual(value(`{"name": "save_person", "arguments": ${adaText.slice(0, -1)}`, person), ada);
  assert.deepEqual(value(`{"functionCall": {"name": "save_person", "args": ${adaText}}}`, person), ada);
  // a schema that wants {name, arguments} keeps the wrapper
  const call = { type: "object", properties: { name: { type: "string" }, arguments: { type: "object" } }, required: ["name", "arguments"] };
  assert.deepEqual(value(`{"name": "save_person", "arguments": ${adaText}}`, call), { name: "save_person", arguments: ada });
});

test("JSON encoded as a string inside a union branch is decoded where the branch wants structure", () => {
  const nullable = { type: "object", properties: { result: { anyOf: [person, { type: "null" }] } }, required: ["result"] };
  assert.deepEqual(value(JSON.stringify({ result: adaText }), nullable), { result: ada });
  const list = { type: "object", properties: { result: { oneOf: [person, { type: "array", items: person }] } }, required: ["result"] };
  assert.deepEqual(value(JSON.stringify({ result: `[${adaText}]` }), list), { result: [ada] });
  const byRef = { type: "object", properties: { result: { anyOf: [{ $ref: "#/$defs/P" }, { type: "integer" }] } }, $defs: { P: person } };
  assert.deepEqual(value(JSON.stringify({ result: adaText }), byRef), { result: ada });
  // a branch that takes text keeps the text
  const text = { type: "object", properties: { result: { anyOf: [{ type: "string" }, person] } }, required: ["result"] };
  assert.deepEqual(value(JSON.stringify({ result: adaText }), text), { result: adaText });
});

test("a cut-off list of records drops the last record when it cannot be completed", () => {
  const people = { type: "array", items: person };
  assert.deepEqual(value(`[${adaText}, {"name": "Bob", "a`, people), [ada]);
  assert.deepEqual(value(`[${adaText}, {"name": "Bo`, people), [ada]);
  const nested = { type: "object", properties: { people, total: { type: "integer" } }, required: ["people"] };
  assert.deepEqual(value(`{"people": [${adaText}, {"name": "Bob"`, nested), { people: [ada] });
  // a last record that is complete in all but its brackets stays
  assert.deepEqual(value(`[${adaText}, {"name": "Bob", "age": 4`, people), [ada, { name: "Bob", age: 4 }]);
});

test("an object that lost its opening brace", () => {
  assert.deepEqual(value('"name": "Ada", "age": 36}', person), ada);
  assert.deepEqual(value('\n  "name": "Ada",\n  "age": 36\n}', person), ada);
  assert.deepEqual(value('"name": "Ada", "age": 36}', null), ada);
  const holder = { type: "object", properties: { person }, required: ["person"] };
  assert.deepEqual(value(`"person": ${adaText}}`, holder), { person: ada });
});

test("a reply cut inside an escape sequence loses the incomplete escape", () => {
  assert.deepEqual(value('{"name": "Ada\\u00', null), { name: "Ada" });
  assert.deepEqual(value('["a\\u26', null), ["a"]);
  // the first half of a surrogate pair whose second half was cut off is no character
  assert.deepEqual(value('{"name": "Ada\\ud83d', null), { name: "Ada" });
  assert.deepEqual(value('{"name": "Ada\\ud83d\\u', null), { name: "Ada" });
  assert.deepEqual(value('{"name": "Ada\\ud83d\\ude', null), { name: "Ada" });
  // a complete pair before the cut is kept
  assert.deepEqual(value('{"name": "Ada\\ud83d\\ude00', null), { name: "Ada😀" });
});
