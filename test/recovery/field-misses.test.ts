/**
 * Classes of replies recover() used to miss, each with several cases of its own, through the public API:
 * tool-call wrappers around the wanted arguments, JSON encoded as a string inside a union branch, a
 * truncated array whose last element cannot be completed, a reply missing its opening brace, and a
 * string cut inside an escape sequence.
 */
import assert from "node:assert/strict";
import { test } from "node:test";
import { recover } from "../../src/recovery/index.js";

const Weather = {
  type: "object",
  properties: { city: { type: "string" }, days: { type: "integer" } },
  required: ["city", "days"],
  additionalProperties: false,
};
const weather = { city: "Paris", days: 3 };

function recovered(text: string, schema: unknown): { value: unknown; steps: string[] } {
  const result = recover(text, { schema: schema as never });
  assert.ok(result.ok, `${text}\n-> ${result.ok ? "" : result.error}`);
  return result;
}

test("tool-call wrappers: the arguments are taken out when the schema wants them", () => {
  const args = JSON.stringify(weather);
  const shapes = [
    `{"name": "get_weather", "arguments": ${args}}`,
    `{"name": "get_weather", "arguments": ${JSON.stringify(args)}}`,
    `{"name": "get_weather", "parameters": {"city": "Paris", "days": "3"}}`,
    `{"type": "function", "function": {"name": "get_weather", "arguments": ${JSON.stringify(args)}}}`,
    `{"role": "assistant", "content": null, "tool_calls": [{"id": "call_1", "type": "function", "function": {"name": "get_weather", "arguments": ${JSON.stringify(args)}}}]}`,
    `{"function_call": {"name": "get_weather", "arguments": ${JSON.stringify(args)}}}`,
    `{"type": "tool_use", "id": "toolu_1", "name": "get_weather", "input": ${args}}`,
    `[{"type": "text", "text": "Calling the tool."}, {"type": "tool_use", "id": "toolu_1", "name": "get_weather", "input": ${args}}]`,
    `{"functionCall": {"name": "get_weather", "args": ${args}}}`,
    `[{"name": "get_weather", "arguments": ${args}}]`,
    "```json\n{'name': 'get_weather', 'arguments': {'city': 'Paris', 'days': 3,},}\n```",
    `{"name": "get_weather", "arguments": "{\\"city\\": \\"Paris\\", \\"days\\": 3"}`,
  ];
  for (const text of shapes) {
    const result = recovered(text, Weather);
    assert.deepEqual(result.value, weather, text);
    assert.ok(result.steps.includes("tool_call"), `${text}: ${result.steps}`);
  }
});

test("a schema that wants the call itself keeps the wrapper", () => {
  const Call = {
    type: "object",
    properties: { name: { type: "string" }, arguments: { type: "object", properties: { city: { type: "string" } } } },
    required: ["name", "arguments"],
  };
  const text = '{"name": "get_weather", "arguments": {"city": "Paris"}}';
  assert.deepEqual(recovered(text, Call).value, { name: "get_weather", arguments: { city: "Paris" } });
  // arguments as a string where the schema wants an object: decoded in place, not unwrapped
  const encoded = '{"name": "get_weather", "arguments": "{\\"city\\": \\"Paris\\"}"}';
  assert.deepEqual(recovered(encoded, Call).value, { name: "get_weather", arguments: { city: "Paris" } });
});

test("data that merely has a name and content is not a wrapper", () => {
  const Doc = { type: "object", properties: { title: { type: "string" } }, required: ["title"] };
  const result = recover('{"name": "x", "content": "{\\"title\\": \\"T\\"}", "author": "me"}', { schema: Doc as never });
  assert.equal(result.ok, false);
});

const Item = {
  anyOf: [
    {
      type: "object",
      properties: { kind: { const: "point" }, x: { type: "number" }, y: { type: "number" } },
      required: ["kind", "x", "y"],
    },
    {
      type: "object",
      properties: { kind: { const: "tags" }, tags: { type: "array", items: { type: "string" } } },
      required: ["kind", "tags"],
    },
  ],
};

test("JSON encoded as a string inside a union branch is decoded", () => {
  const Holder = { type: "object", properties: { item: Item, note: { type: "string" } }, required: ["item", "note"] };
  const cases: Array<[string, unknown]> = [
    ['{"item": "{\\"kind\\": \\"point\\", \\"x\\": 1, \\"y\\": 2}", "note": "n"}', { kind: "point", x: 1, y: 2 }],
    ['{"item": "{\\"kind\\": \\"tags\\", \\"tags\\": [\\"a\\"]}", "note": "n"}', { kind: "tags", tags: ["a"] }],
    // repaired inside the string: single quotes, trailing comma
    ["{\"item\": \"{'kind': 'tags', 'tags': ['a', 'b',]}\", \"note\": \"n\"}", { kind: "tags", tags: ["a", "b"] }],
  ];
  for (const [text, item] of cases) {
    const result = recovered(text, Holder);
    assert.deepEqual(result.value, { item, note: "n" }, text);
    assert.ok(result.steps.includes("double_encoded"), `${text}: ${result.steps}`);
  }
  // a string field that happens to hold JSON stays a string
  assert.deepEqual(recovered('{"item": {"kind": "tags", "tags": []}, "note": "{\\"a\\": 1}"}', Holder).value, {
    item: { kind: "tags", tags: [] },
    note: '{"a": 1}',
  });
});

test("string-encoded union members inside arrays, under $ref, and encoded twice", () => {
  const List = { type: "array", items: { $ref: "#/$defs/Item" }, $defs: { Item } };
  const text = JSON.stringify([JSON.stringify({ kind: "point", x: 1, y: 2 }), { kind: "tags", tags: ["z"] }]);
  assert.deepEqual(recovered(text, List).value, [
    { kind: "point", x: 1, y: 2 },
    { kind: "tags", tags: ["z"] },
  ]);
  const twice = JSON.stringify({ item: JSON.stringify(JSON.stringify({ kind: "tags", tags: ["t"] })), note: "n" });
  const Holder = { type: "object", properties: { item: Item, note: { type: "string" } }, required: ["item", "note"] };
  assert.deepEqual(recovered(twice, Holder).value, { item: { kind: "tags", tags: ["t"] }, note: "n" });
  // a union with a string branch takes the string as it is
  const Loose = { type: "object", properties: { item: { anyOf: [{ type: "string" }, Item] } }, required: ["item"] };
  assert.deepEqual(recovered('{"item": "{\\"kind\\": \\"tags\\"}"}', Loose).value, { item: '{"kind": "tags"}' });
});

const Person = {
  type: "object",
  properties: { name: { type: "string" }, age: { type: "integer" } },
  required: ["name", "age"],
};
const People = { type: "array", items: Person };

test("a truncated array loses its incomplete last element rather than the whole value", () => {
  const two = [
    { name: "Ann", age: 3 },
    { name: "Bob", age: 4 },
  ];
  const prefix = '[{"name": "Ann", "age": 3}, {"name": "Bob", "age": 4}, ';
  for (const cut of ["{", '{"na', '{"name": "Ca', '{"name": "Cal", "a', '{"name": "Cal", "age":', '{"age": 5, "name']) {
    const result = recovered(prefix + cut, People);
    assert.deepEqual(result.value, two, cut);
    assert.ok(result.steps.includes("drop:incomplete"), `${cut}: ${result.steps}`);
  }
  // the last element could be completed: kept
  assert.deepEqual(recovered(`${prefix}{"name": "Cal", "age": 5`, People).value, [...two, { name: "Cal", age: 5 }]);
});

test("the incomplete element is dropped at any depth, only on the cut path", () => {
  const Team = { type: "object", properties: { lead: Person, members: People }, required: ["lead", "members"] };
  const result = recovered('{"lead": {"name": "Ann", "age": 3}, "members": [{"name": "Bob", "age": 4}, {"name": "Ca', Team);
  assert.deepEqual(result.value, { lead: { name: "Ann", age: 3 }, members: [{ name: "Bob", age: 4 }] });
  const Teams = { type: "array", items: Team };
  const nested = recovered('[{"lead": {"name": "A", "age": 1}, "members": [{"name": "B", "age": 2}, {"name"', Teams);
  assert.deepEqual(nested.value, [{ lead: { name: "A", age: 1 }, members: [{ name: "B", age: 2 }] }]);
  // an invalid element that is not the cut one still fails the value
  const broken = recover('[{"name": "Ann"}, {"name": "Bob", "age": 4}, {"name": "Ca', { schema: People as never });
  assert.equal(broken.ok, false);
  // nothing was cut: an incomplete element is an error, not a truncation
  assert.equal(recover('[{"name": "Ann", "age": 3}, {"name": "Bob"}]', { schema: People as never }).ok, false);
});

test("a reply missing its opening brace", () => {
  const cases = [
    '"city": "Paris", "days": 3}',
    '\n  "city": "Paris",\n  "days": 3\n}',
    '"city": "Paris", "days": 3',
    "'city': 'Paris', 'days': 3}",
    "city: Paris, days: 3}",
    '```json\n"city": "Paris", "days": 3}\n```',
  ];
  for (const text of cases) {
    const result = recovered(text, Weather);
    assert.deepEqual(result.value, weather, text);
    assert.ok(result.steps.includes("missing_brace"), `${text}: ${result.steps}`);
  }
  // without a schema too, for quoted keys, nested values included
  assert.deepEqual(recovered('"a": {"b": [1, 2]}, "c": null}', null).value, { a: { b: [1, 2] }, c: null });
  // a bare word and colon without a schema is prose, not an object
  const prose = recover("Note: nothing to add");
  assert.ok(!prose.ok || !prose.steps.includes("missing_brace"), `${prose.steps}`);
});

test("truncation inside an escape sequence keeps the rest of the reply", () => {
  const cases: Array<[string, unknown]> = [
    ['{"city": "Par\\u00', { city: "Par" }],
    ['{"city": "Par\\u00e9", "days": 3, "note": "x\\ud83d', { city: "Paré", days: 3, note: "x" }],
    ['{"city": "Par\\ud83d\\ude', { city: "Par" }],
    ['["a\\n", "b\\u', ["a\n", "b"]],
  ];
  for (const [text, expected] of cases) {
    const result = recovered(text, null);
    assert.deepEqual(result.value, expected, text);
  }
  // with the schema, the completed fields are what the schema gets
  const Note = { type: "object", properties: { note: { type: "string" }, days: { type: "integer" } }, required: ["note"] };
  assert.deepEqual(recovered('{"days": 2, "note": "caf\\u00', Note).value, { days: 2, note: "caf" });
});

test("a member cut right after its colon is left out when the schema allows it", () => {
  const Loose = {
    type: "object",
    additionalProperties: { type: "object", additionalProperties: { anyOf: [{ type: "string" }, { type: "null" }] } },
  };
  const result = recovered('{"a": {"b": "c", "d":\n', Loose);
  assert.deepEqual(result.value, { a: { b: "c" } });
  assert.ok(result.steps.includes("drop:valueless"), `${result.steps}`);
  // a required member keeps the scanner's null and the schema decides
  const Required = { type: "object", properties: { b: { type: "string" }, d: { type: ["string", "null"] } }, required: ["b", "d"] };
  assert.deepEqual(recovered('{"b": "c", "d":', Required).value, { b: "c", d: null });
  // without a schema, nothing is dropped
  assert.deepEqual(recovered('{"b": "c", "d":', null).value, { b: "c", d: null });
});
