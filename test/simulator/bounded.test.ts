// The simulator is bounded by construction: schemas that demand more than a model's output limit get a
// reply cut at the limit (never unbounded memory), oversized bodies get 413, unconstrained integers are
// small, pattern and description constraints are honoured, and Anthropic request ids look real.
import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { z } from "zod";
import { type Simulator, startSimulator } from "../../src/simulator/index.js";
import { anthropicFor, isValid, openaiFor, parses, rawPost } from "./helpers.js";

let sim: Simulator;
before(async () => {
  sim = await startSimulator({ seed: 3 });
});
after(() => sim.close());

function wrap(property: object) {
  return { type: "object", properties: { value: property }, required: ["value"], additionalProperties: false };
}

async function structured(schema: object, maxTokens?: number) {
  const r = await openaiFor(sim).chat.completions.create({
    model: "gpt-test",
    messages: [{ role: "user", content: "Fill it in." }],
    response_format: { type: "json_schema", json_schema: { name: "out", strict: true, schema: schema as Record<string, unknown> } },
    ...(maxTokens ? { max_completion_tokens: maxTokens } : {}),
  });
  return r.choices[0];
}

test("minItems 1e9: the reply stops at the output limit, cut mid-value, with finish_reason length", async () => {
  const choice = await structured(wrap({ type: "array", minItems: 1e9, items: { type: "string" } }), 2000);
  assert.equal(choice?.finish_reason, "length");
  assert.equal(parses(choice?.message.content), false);
  assert.ok((choice?.message.content?.length ?? 0) < 40_000);
});

test("six nested arrays of minItems 20 and minLength 1e9 are cut at the default limit", async () => {
  let schema: object = { type: "string" };
  for (let i = 0; i < 6; i++) schema = { type: "array", minItems: 20, items: schema };
  for (const s of [schema, { type: "string", minLength: 1e9 }]) {
    const choice = await structured(wrap(s));
    assert.equal(choice?.finish_reason, "length");
    assert.ok((choice?.message.content?.length ?? 0) < 200_000);
  }
});

test("a schema that fits is answered in full and valid", async () => {
  const schema = wrap({ type: "array", minItems: 50, maxItems: 50, items: { type: "integer" } });
  const choice = await structured(schema);
  assert.equal(choice?.finish_reason, "stop");
  assert.ok(isValid(schema, JSON.parse(choice?.message.content ?? "")));
});

test("unconstrained integers are small, as a model writes them", async () => {
  const schema = z.toJSONSchema(z.object({ count: z.int(), total: z.number(), year: z.int().min(1900) }));
  for (let i = 0; i < 5; i++) {
    const r = await openaiFor(sim).chat.completions.create({
      model: "gpt-test",
      messages: [{ role: "user", content: `Count ${i}` }],
      response_format: { type: "json_schema", json_schema: { name: "c", schema: schema as Record<string, unknown> } },
    });
    const value = JSON.parse(r.choices[0]?.message.content ?? "") as { count: number; total: number; year: number };
    assert.ok(Math.abs(value.count) <= 1000 && Math.abs(value.total) <= 1000, JSON.stringify(value));
    assert.ok(value.year >= 1900 && value.year <= 2000, JSON.stringify(value));
  }
});

test("pattern, and constraints written into descriptions, are honoured", async () => {
  const schema = {
    type: "object",
    properties: {
      sku: { type: "string", pattern: "^[A-Z]{3}-\\d{4}$" },
      colour: { type: "string", pattern: "^#[0-9a-f]{6}$" },
      // Anthropic's SDK form and the AI SDK's Anthropic provider form.
      code: { type: "string", description: 'Short code\n\n{minLength: 6, maxLength: 6, pattern: "^[a-z]+$"}' },
      tags: { type: "array", items: { type: "string" }, description: "Tags\nmin items: 4; max items: 4." },
      note: { type: "string", description: "A note of at least 40 characters." },
    },
    required: ["sku", "colour", "code", "tags", "note"],
    additionalProperties: false,
  };
  for (let i = 0; i < 4; i++) {
    const choice = await structured({ ...schema, description: `run ${i}` });
    const v = JSON.parse(choice?.message.content ?? "") as { sku: string; colour: string; code: string; tags: string[]; note: string };
    assert.match(v.sku, /^[A-Z]{3}-\d{4}$/);
    assert.match(v.colour, /^#[0-9a-f]{6}$/);
    assert.match(v.code, /^[a-z]{6}$/);
    assert.equal(v.tags.length, 4);
    assert.ok(v.note.length >= 40, v.note);
  }
});

test("a body over 32 MB gets 413 in the provider's shape", async () => {
  const big = { model: "gpt-test", messages: [{ role: "user", content: "x".repeat(33 * 1024 * 1024) }] };
  const openai = await rawPost(`${sim.url}/v1/chat/completions`, big);
  assert.equal(openai.status, 413);
  assert.equal((JSON.parse(openai.text) as { error: { code: string } }).error.code, "request_too_large");
  const anthropic = await rawPost(`${sim.url}/v1/messages`, { ...big, max_tokens: 10 });
  assert.equal(anthropic.status, 413);
  assert.equal((JSON.parse(anthropic.text) as { error: { type: string } }).error.type, "request_too_large");
  // The server still answers afterwards.
  const ok = await openaiFor(sim).chat.completions.create({ model: "gpt-test", messages: [{ role: "user", content: "hi" }] });
  assert.ok(ok.choices[0]?.message.content);
});

test("Anthropic request ids are req_..., distinct from the message id", async () => {
  const { data, response } = await anthropicFor(sim)
    .messages.create({ model: "claude-test", max_tokens: 50, messages: [{ role: "user", content: "hi" }] })
    .withResponse();
  const requestId = response.headers.get("request-id") ?? "";
  assert.match(requestId, /^req_/);
  assert.match(data.id, /^msg_/);
});
