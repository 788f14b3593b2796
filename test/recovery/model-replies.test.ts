/**
 * The recovery classes as a user meets them: a model behind the official openai SDK (against the loopback
 * simulator) answers with a tool-call wrapper, a string-encoded union member, a cut-off list or an object
 * missing its brace, and generate() still returns the schema's value from that one reply.
 */
import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { z } from "zod";
import { createBallast } from "ballast";
import { openai } from "ballast/openai";
import { type Simulator, startSimulator } from "ballast/testing";

const Weather = z.object({ city: z.string(), days: z.number().int() });

let sim: Simulator;
before(async () => {
  sim = await startSimulator({ seed: 13 });
});
after(() => sim.close());
const model = (name: string) => openai(name, { baseURL: `${sim.url}/v1`, apiKey: "test" });

async function answer<T>(name: string, text: string, schema: z.ZodType<T>) {
  sim.script(name, [{ text }]);
  const llm = createBallast({ models: [model(name)], traces: false });
  const r = await llm.generate({ schema, input: "x" });
  assert.equal(r.attempts.length, 1, "recovered from the one reply, no re-ask");
  return r;
}

test("a tool-call wrapper around the arguments, as an object or as JSON text", async () => {
  const args = JSON.stringify({ city: "Oslo", days: 2 });
  const object = await answer("tool-object", `{"name": "forecast", "arguments": ${args}}`, Weather);
  assert.equal(object.source, "repaired");
  assert.deepEqual(object.value, { city: "Oslo", days: 2 });
  const text = await answer(
    "tool-text",
    JSON.stringify({ tool_calls: [{ id: "call_1", type: "function", function: { name: "forecast", arguments: args } }] }),
    Weather,
  );
  assert.deepEqual(text.value, { city: "Oslo", days: 2 });
  assert.ok(text.attempts[0]!.recoverySteps.includes("tool_call"));
});

test("a union member written as a JSON string", async () => {
  const Shape = z.object({
    shape: z.discriminatedUnion("kind", [
      z.object({ kind: z.literal("circle"), r: z.number() }),
      z.object({ kind: z.literal("square"), side: z.number() }),
    ]),
    label: z.string(),
  });
  const reply = JSON.stringify({ shape: JSON.stringify({ kind: "square", side: 4 }), label: "box" });
  const r = await answer("encoded-union", reply, Shape);
  assert.equal(r.source, "repaired");
  assert.deepEqual(r.value, { shape: { kind: "square", side: 4 }, label: "box" });
});

test("a list cut off inside its last element keeps the complete ones", async () => {
  const People = z.object({ people: z.array(z.object({ name: z.string(), age: z.number().int() })) });
  const r = await answer("cut-list", '{"people": [{"name": "Ann", "age": 31}, {"name": "Bob", "age": 42}, {"name": "Cl', People);
  assert.equal(r.source, "repaired");
  assert.deepEqual(r.value, {
    people: [
      { name: "Ann", age: 31 },
      { name: "Bob", age: 42 },
    ],
  });
});

test("an object missing its opening brace", async () => {
  const r = await answer("no-brace", '"city": "Lima",\n"days": 5\n}', Weather);
  assert.equal(r.source, "repaired");
  assert.deepEqual(r.value, { city: "Lima", days: 5 });
});
