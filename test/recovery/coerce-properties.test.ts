/** Property tests for coercion: a value that already fits its schema comes back unchanged with no steps,
 * and arbitrary values against arbitrary schemas never throw. */
import assert from "node:assert/strict";
import { test } from "node:test";
import fc from "fast-check";
import { coerce } from "../../src/recovery/coerce/index.js";
import type { JsonSchema } from "../../src/core/json-schema.js";

/** The tightest schema this value satisfies (objects closed, arrays as unions of their items' schemas). */
function schemaOf(value: unknown): JsonSchema {
  if (value === null) return { type: "null" };
  if (typeof value === "boolean") return { type: "boolean" };
  if (typeof value === "number") return { type: Number.isInteger(value) ? "integer" : "number" };
  if (typeof value === "string") return { type: "string" };
  if (Array.isArray(value)) {
    const distinct = new Map(value.map((v) => [JSON.stringify(schemaOf(v)), schemaOf(v)]));
    const items = [...distinct.values()];
    return {
      type: "array",
      items: items.length === 0 ? {} : items.length === 1 ? (items[0] as JsonSchema) : { anyOf: items },
    };
  }
  const entries = Object.entries(value as Record<string, unknown>);
  return {
    type: "object",
    properties: Object.fromEntries(entries.map(([k, v]) => [k, schemaOf(v)])),
    required: entries.map(([k]) => k),
    additionalProperties: false,
  };
}

test("a value that fits its schema comes back unchanged, with no steps", () => {
  fc.assert(
    fc.property(fc.jsonValue({ maxDepth: 5 }), (value) => {
      const r = coerce(value, schemaOf(value));
      assert.ok(r.ok, r.ok ? "" : r.error);
      assert.deepEqual(r.value, value);
      assert.deepEqual(r.steps, []);
    }),
    { numRuns: 300 },
  );
});

const schemaArb: fc.Arbitrary<unknown> = fc.letrec((tie) => ({
  schema: fc.oneof(
    { depthSize: "small", withCrossShrink: true },
    fc.constantFrom(
      {},
      { type: "string" },
      { type: "integer" },
      { type: "number" },
      { type: "boolean" },
      { type: "null" },
      { enum: ["A", "b c", 1] },
      { const: "X" },
    ),
    fc.record({ type: fc.constant("array"), items: tie("schema") }),
    fc.record({ anyOf: fc.array(tie("schema"), { maxLength: 3 }) }),
    fc.record({
      type: fc.constant("object"),
      properties: fc.dictionary(fc.string({ maxLength: 4 }), tie("schema"), {
        maxKeys: 3,
      }),
      required: fc.array(fc.string({ maxLength: 4 }), { maxLength: 2 }),
      additionalProperties: fc.boolean(),
    }),
    fc.anything(),
  ),
})).schema;

test("arbitrary values against arbitrary schemas never throw", () => {
  fc.assert(
    fc.property(fc.anything(), schemaArb, fc.option(fc.string(), { nil: undefined }), (value, schema, text) => {
      const r = coerce(value, schema as JsonSchema, { text });
      assert.equal(typeof r.ok, "boolean");
      assert.ok(Array.isArray(r.steps));
    }),
    { numRuns: 1000 },
  );
});
