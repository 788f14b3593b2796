// Property tests for the answer generators: instances of random strict schemas are valid, malformed output
// never parses, wrong-shape output is valid JSON that fails the schema, and all of it is deterministic.
import assert from "node:assert/strict";
import { test } from "node:test";
import fc from "fast-check";
import { makeMalformed } from "../../src/simulator/malformed.js";
import { Rng } from "../../src/simulator/random.js";
import { generateInstance } from "../../src/simulator/schema-instance.js";
import { makeWrongShape } from "../../src/simulator/wrong-shape.js";
import { isValid, parses } from "./helpers.js";

type Schema = Record<string, unknown>;

const leaf: fc.Arbitrary<Schema> = fc.oneof(
  fc.constant({ type: "string" }),
  fc.constant({ type: "string", format: "date" }),
  fc.constant({ type: "string", format: "email" }),
  fc.record({ type: fc.constant("string"), minLength: fc.integer({ min: 0, max: 5 }), maxLength: fc.integer({ min: 6, max: 30 }) }),
  fc.record({ type: fc.constant("integer"), minimum: fc.integer({ min: -50, max: 0 }), maximum: fc.integer({ min: 1, max: 50 }) }),
  fc.record({ type: fc.constant("number"), minimum: fc.integer({ min: 0, max: 5 }), maximum: fc.integer({ min: 6, max: 9 }) }),
  fc.constant({ type: "boolean" }),
  fc.constant({ type: "string", enum: ["Low", "medium", "HIGH"] }),
  fc.constant({ type: ["string", "null"] }),
  fc.constant({ anyOf: [{ type: "integer", minimum: 0, maximum: 3 }, { type: "null" }] }),
  fc.constant({ const: "fixed" }),
);

const schemaArb: fc.Arbitrary<Schema> = fc.letrec<{ node: Schema; object: Schema }>((tie) => ({
  node: fc.oneof(
    { maxDepth: 3, depthIdentifier: "schema" },
    leaf,
    tie("object"),
    fc.record({
      type: fc.constant("array"),
      items: tie("node"),
      minItems: fc.integer({ min: 0, max: 2 }),
      maxItems: fc.integer({ min: 2, max: 4 }),
    }),
  ),
  object: fc
    .dictionary(fc.stringMatching(/^[a-z][a-z_]{0,7}$/), tie("node"), { minKeys: 1, maxKeys: 4 })
    .map((properties) => ({ type: "object", properties, required: Object.keys(properties), additionalProperties: false })),
})).object;

test("generated instances are valid for random strict schemas and deterministic per seed", () => {
  fc.assert(
    fc.property(schemaArb, fc.integer(), (schema, seed) => {
      const value = generateInstance(schema, new Rng(seed));
      assert.ok(isValid(schema, value), `${JSON.stringify(schema)} -> ${JSON.stringify(value)}`);
      assert.deepEqual(generateInstance(schema, new Rng(seed)), value);
    }),
    { numRuns: 200 },
  );
});

test("$ref/$defs recursion terminates and validates", () => {
  const schema = {
    $defs: {
      node: {
        type: "object",
        properties: { name: { type: "string" }, children: { type: "array", items: { $ref: "#/$defs/node" }, maxItems: 2 } },
        required: ["name", "children"],
        additionalProperties: false,
      },
    },
    $ref: "#/$defs/node",
  };
  for (let seed = 0; seed < 50; seed++) assert.ok(isValid(schema, generateInstance(schema, new Rng(seed))));
});

test("malformed output never parses as JSON", () => {
  fc.assert(
    fc.property(schemaArb, fc.integer(), (schema, seed) => {
      const value = generateInstance(schema, new Rng(seed));
      const { text, form } = makeMalformed(value, new Rng(seed + 1));
      assert.equal(parses(text), false, `${form}: ${text}`);
    }),
    { numRuns: 200 },
  );
});

test("wrong-shape output is valid JSON that fails the schema", () => {
  fc.assert(
    fc.property(schemaArb, fc.integer(), (schema, seed) => {
      const value = generateInstance(schema, new Rng(seed));
      const { value: wrong, form } = makeWrongShape(schema, value, new Rng(seed + 1));
      assert.ok(parses(JSON.stringify(wrong)));
      assert.equal(isValid(schema, wrong), false, `${form}: ${JSON.stringify(schema)} -> ${JSON.stringify(wrong)}`);
    }),
    { numRuns: 200 },
  );
});
