// The schemas users actually pass: zod 4, zod 3 (`zod/v3`), plain JSON Schema through jsonSchema(), each
// through generate on the simulator with its type inferred; anything else is a ConfigurationError that
// names what is supported, never a raw TypeError.
import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { expectTypeOf } from "expect-type";
import { z } from "zod";
import { z as z3 } from "zod/v3";
import { ConfigurationError, createBallast } from "ballast";
import { jsonSchema, toJsonSchema } from "ballast/schema";
import { openai } from "ballast/openai";
import { anthropic } from "ballast/anthropic";
import { startSimulator, type Simulator } from "ballast/testing";

let sim: Simulator;
before(async () => {
  sim = await startSimulator({ seed: 11 });
});
after(() => sim.close());
const llm = () => createBallast({ models: [openai("kinds", { baseURL: `${sim.url}/v1`, apiKey: "k" })], traces: false, reasks: 0 });
const lastWireSchema = () => (sim.requests.at(-1)!.body as Record<string, any>).response_format.json_schema.schema;

test("zod 3: converted for the wire, validated by zod 3, the value typed", async () => {
  const Review = z3.object({
    sentiment: z3.enum(["positive", "negative"]),
    score: z3.number().int().min(1).max(10),
    note: z3.string().optional(),
  });
  const r = await llm().generate({ schema: Review, input: "Loved it." });
  expectTypeOf(r.value).toEqualTypeOf<{ sentiment: "positive" | "negative"; score: number; note?: string | undefined }>();
  assert.equal(r.source, "model");
  assert.equal(Review.safeParse(r.value).success, true);
  const wire = lastWireSchema();
  assert.deepEqual(wire.properties.sentiment.enum, ["positive", "negative"]);
  assert.equal(wire.properties.score.type, "integer");

  const claude = createBallast({ models: [anthropic("kinds-claude", { baseURL: sim.url, apiKey: "k" })], traces: false });
  const c = await claude.generate({ schema: Review, input: "Hated it." });
  assert.equal(Review.safeParse(c.value).success, true);
});

test("zod 3: a type JSON cannot carry is refused by field name", () => {
  const Event = z3.object({ title: z3.string(), when: z3.date() });
  assert.throws(
    () => llm().task({ name: "event", schema: Event }),
    (e: unknown) => e instanceof ConfigurationError && /\bwhen\b.*date/.test(e.message),
  );
});

test("plain JSON Schema through jsonSchema(): sent as written, validated by ajv, typed by its parameter", async () => {
  const written = {
    type: "object",
    properties: { city: { type: "string", minLength: 1 }, population: { type: "integer", minimum: 0 } },
    required: ["city", "population"],
    additionalProperties: false,
  };
  const City = jsonSchema<{ city: string; population: number }>(written);
  const r = await llm().generate({ schema: City, input: "Paris" });
  expectTypeOf(r.value).toEqualTypeOf<{ city: string; population: number }>();
  assert.equal(typeof r.value.city, "string");
  assert.ok(Number.isInteger(r.value.population) && r.value.population >= 0);
  assert.deepEqual(toJsonSchema(City), written, "the neutral form is the object as written");
  assert.deepEqual(lastWireSchema().required, ["city", "population"]);

  // ajv's verdicts reach the caller as issues with paths: a fallback that does not fit is refused now
  assert.throws(
    () => llm().task({ name: "city", schema: City, fallback: { city: "", population: -1 } }),
    (e: unknown) => e instanceof ConfigurationError && /city|population/.test(e.message),
  );
});

test("jsonSchema() refuses what is not a JSON Schema", () => {
  assert.throws(
    () => jsonSchema({ type: 12 }),
    (e: unknown) => e instanceof ConfigurationError && /not a valid JSON Schema/.test(e.message),
  );
  assert.throws(
    () => jsonSchema([] as never),
    (e: unknown) => e instanceof ConfigurationError && /an array/.test(e.message),
  );
});

test("anything else is a ConfigurationError naming what is supported, not a TypeError", async () => {
  const plain = { type: "object", properties: { a: { type: "string" } } };
  for (const [schema, said] of [
    [plain, /plain JSON Schema object.*jsonSchema/],
    [null, /got null/],
    ["string", /got a string/],
    [{ parse: () => 1 }, /not a schema/],
  ] as const) {
    assert.throws(
      () => llm().task({ name: "bad", schema: schema as never }),
      (e: unknown) => e instanceof ConfigurationError && /zod 4 or zod 3/.test(e.message) && said.test(e.message),
      String(schema),
    );
    await assert.rejects(
      llm().generate({ schema: schema as never, input: "x" }),
      (e: unknown) => e instanceof ConfigurationError && /jsonSchema\(/.test(e.message),
    );
  }
});

test("zod 4 keeps its own inference", async () => {
  const Tag = z.object({ tag: z.enum(["a", "b"]) });
  const r = await llm().generate({ schema: Tag, input: "x" });
  expectTypeOf(r.value).toEqualTypeOf<{ tag: "a" | "b" }>();
  assert.equal(Tag.safeParse(r.value).success, true);
});
