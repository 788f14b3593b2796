/**
 * Tool-call wrappers where the schema wants a list: a model asked for a list of records answers with the list
 * of calls it would have made, each wrapping one record (as an object, or as JSON text). Through the public
 * recover(text, { schema }).
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
const people = { type: "array", items: person } as const;
const peopleByRef = { type: "array", items: { $ref: "#/$defs/Person" }, $defs: { Person: person } } as const;

function value(text: string, schema: object): unknown {
  const r = recover(text, { schema: schema as never });
  assert.ok(r.ok, r.ok ? "" : r.error);
  return r.value;
}

test("a list of {name, arguments} calls becomes the list of their arguments", () => {
  const text = JSON.stringify([
    { name: "add_person", arguments: { name: "Ada", age: 36 } },
    { name: "add_person", arguments: JSON.stringify({ name: "Bob", age: 4 }) },
  ]);
  assert.deepEqual(value(text, people), [
    { name: "Ada", age: 36 },
    { name: "Bob", age: 4 },
  ]);
  assert.deepEqual(value(text, peopleByRef), [
    { name: "Ada", age: 36 },
    { name: "Bob", age: 4 },
  ]);
});

test("a list of one call is a list of one payload, not a failure", () => {
  const r = recover('[{"name": "add_person", "arguments": {"name": "Ada", "age": 36}}]', { schema: people as never });
  assert.ok(r.ok, r.ok ? "" : r.error);
  assert.deepEqual(r.value, [{ name: "Ada", age: 36 }]);
  assert.ok(r.steps.includes("tool_call"));
});

test("OpenAI tool_calls and Anthropic tool_use blocks give one payload per call", () => {
  const call = (id: string, args: object) => ({ id, type: "function", function: { name: "add_person", arguments: JSON.stringify(args) } });
  const openai = JSON.stringify({ tool_calls: [call("a", { name: "Ada", age: 36 }), call("b", { name: "Bob", age: 4 })] });
  assert.deepEqual(value(openai, people), [
    { name: "Ada", age: 36 },
    { name: "Bob", age: 4 },
  ]);
  const anthropic = JSON.stringify([
    { type: "tool_use", id: "t1", name: "add_person", input: { name: "Ada", age: 36 } },
    { type: "tool_use", id: "t2", name: "add_person", input: { name: "Bob", age: 4 } },
  ]);
  assert.deepEqual(value(anthropic, people), [
    { name: "Ada", age: 36 },
    { name: "Bob", age: 4 },
  ]);
});

test("a list whose records really hold name and arguments keeps them", () => {
  const calls = {
    type: "array",
    items: { type: "object", properties: { name: { type: "string" }, arguments: { type: "string" } }, required: ["name", "arguments"] },
  };
  assert.deepEqual(value('[{"name": "Ada", "arguments": "none"}]', calls), [{ name: "Ada", arguments: "none" }]);
});

test("a list mixing calls and plain records is left as it is", () => {
  const r = recover('[{"name": "add_person", "arguments": {"name": "Ada", "age": 36}}, {"name": "Bob", "age": 4}]', {
    schema: people as never,
  });
  assert.ok(!r.ok || !r.steps.includes("tool_call"));
});
