// Schemas given in the prompt are read as a model reads them: a JSON Schema in the system prompt for
// json_object, a TypeScript-like shape in a plain request that asks for JSON; prose stays prose.
import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { type Simulator, startSimulator } from "../../src/simulator/index.js";
import { anthropicFor, isValid, openaiFor } from "./helpers.js";

let sim: Simulator;
before(async () => {
  sim = await startSimulator({ seed: 6 });
});
after(() => sim.close());

const person = {
  type: "object",
  properties: { name: { type: "string" }, age: { type: "integer", minimum: 0, maximum: 120 }, email: { type: "string", format: "email" } },
  required: ["name", "age", "email"],
};

test("json_object follows a JSON Schema written in the system prompt", async () => {
  const r = await openaiFor(sim).chat.completions.create({
    model: "gpt-test",
    messages: [
      { role: "system", content: `Answer in JSON matching this schema:\n${JSON.stringify(person, null, 2)}\nNothing else.` },
      { role: "user", content: "Ada, 36, ada@example.com" },
    ],
    response_format: { type: "json_object" },
  });
  const value = JSON.parse(r.choices[0]?.message.content ?? "");
  assert.ok(isValid(person, value), JSON.stringify(value));
  assert.equal("answer" in value, false);
});

test("a plain request asking for JSON in a TypeScript-like shape gets that JSON (Anthropic and OpenAI)", async () => {
  const prompt = 'Reply with JSON only, of type { title: string; tags: string[]; rating?: number; kind: "book" | "film" }.';
  const shape = {
    type: "object",
    properties: {
      title: { type: "string" },
      tags: { type: "array", items: { type: "string" } },
      rating: { type: "number" },
      kind: { enum: ["book", "film"] },
    },
    required: ["title", "tags", "kind"],
  };
  const a = await anthropicFor(sim).messages.create({
    model: "claude-test",
    max_tokens: 500,
    messages: [{ role: "user", content: prompt }],
  });
  const text = a.content[0]?.type === "text" ? a.content[0].text : "";
  assert.ok(isValid(shape, JSON.parse(text)), text);
  const o = await openaiFor(sim).chat.completions.create({ model: "gpt-test", messages: [{ role: "user", content: prompt }] });
  assert.ok(isValid(shape, JSON.parse(o.choices[0]?.message.content ?? "")));
});

test("a plain request that does not ask for JSON stays prose", async () => {
  const r = await openaiFor(sim).chat.completions.create({
    model: "gpt-test",
    messages: [{ role: "user", content: "Describe { name: string } in words." }],
  });
  assert.throws(() => JSON.parse(r.choices[0]?.message.content ?? ""));
});
