/** Unit tests for schema-aligned coercion, one block per rule, plus the safety properties:
 * never inventing a required value, never throwing, bounded stack on deep nesting. */
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { type CoerceResult, coerce, fitScore } from "../../src/recovery/coerce/index.js";
import type { JsonSchema } from "../../src/core/json-schema.js";

function value(result: CoerceResult): unknown {
  assert.ok(result.ok, result.ok ? "" : result.error);
  return result.value;
}

function object(properties: Record<string, JsonSchema>, required = Object.keys(properties), extra: JsonSchema = {}): JsonSchema {
  return {
    type: "object",
    properties,
    required,
    additionalProperties: false,
    ...extra,
  };
}

describe("numbers", () => {
  const schema = object({ score: { type: "number" } });
  test("from numeric strings, with provenance", () => {
    const r = coerce({ score: "8.5" }, schema);
    assert.deepEqual(value(r), { score: 8.5 });
    assert.deepEqual(r.steps, ["coerce:number@score"]);
  });
  test("thousands separators, currency, fractions, trailing dot", () => {
    assert.equal(value(coerce("12,111", { type: "integer" })), 12111);
    assert.equal(value(coerce("12,111.123", { type: "number" })), 12111.123);
    assert.equal(value(coerce("$1,200", { type: "number" })), 1200);
    assert.equal(value(coerce("1/5", { type: "number" })), 0.2);
    assert.equal(value(coerce("12.11.", { type: "number" })), 12.11);
  });
  test("the only number in prose, but not one of several", () => {
    assert.equal(value(coerce("1 cup unsalted butter", { type: "number" })), 1);
    const r = coerce("2 or 3", { type: "number" });
    assert.ok(!r.ok && r.error.includes("ambiguous"));
  });
  test('integers: 3.0 and "3.0" are integers, 3.5 is not', () => {
    assert.equal(value(coerce(3.0, { type: "integer" })), 3);
    assert.equal(value(coerce("3.0", { type: "integer" })), 3);
    assert.equal(coerce(3.5, { type: "integer" }).ok, false);
    assert.equal(coerce("N/A", { type: "number" }).ok, false);
  });
});

describe("booleans", () => {
  test("from words and 0/1", () => {
    assert.equal(value(coerce("true", { type: "boolean" })), true);
    assert.equal(value(coerce("Yes", { type: "boolean" })), true);
    assert.equal(value(coerce(0, { type: "boolean" })), false);
    assert.equal(value(coerce("Answer: **False**", { type: "boolean" })), false);
  });
  test("prose that says both fails", () => {
    assert.equal(coerce("The answer is true or false", { type: "boolean" }).ok, false);
  });
});

describe("strings", () => {
  test("numbers and booleans inside a value become strings", () => {
    const r = coerce({ id: 12, flag: true }, object({ id: { type: "string" }, flag: { type: "string" } }));
    assert.deepEqual(value(r), { id: "12", flag: "true" });
    assert.deepEqual(r.steps, ["coerce:string@id", "coerce:string@flag"]);
    assert.equal(coerce(null, { type: "string" }).ok, false);
  });
  test("pattern is respected", () => {
    assert.equal(coerce("bbb", { type: "string", pattern: "^a+$" }).ok, false);
  });
  test("a top-level string schema takes the reply verbatim, unless it is empty or a bare boolean", () => {
    const text = 'The output is: {"hello": "world"}';
    assert.equal(value(coerce({ hello: "world" }, { type: "string" }, { text })), text);
    assert.equal(coerce("", { type: "string" }, { text: '""' }).ok, false);
    assert.equal(coerce(true, { type: "string" }, { text: "True" }).ok, false);
  });
  test("a reply that is exactly a JSON string literal means that string", () => {
    const r = coerce("hello", { type: "string" }, { text: ' "hello" ' });
    assert.equal(value(r), "hello");
    assert.deepEqual(r.steps, []);
    assert.equal(value(coerce(undefined, { type: "string" }, { text: '"hello' })), '"hello');
  });
});

describe("enums and consts", () => {
  const sentiment = object({
    sentiment: { type: "string", enum: ["POSITIVE", "NEGATIVE", "NEUTRAL"] },
  });
  test("case, accents, spacing and punctuation drift", () => {
    const r = coerce({ sentiment: " positive " }, sentiment);
    assert.deepEqual(value(r), { sentiment: "POSITIVE" });
    assert.deepEqual(r.steps, ["coerce:enum@sentiment"]);
    assert.equal(value(coerce("cafe", { enum: ["CAFÉ", "THÉ"] })), "CAFÉ");
    assert.equal(value(coerce("TWO!@#", { const: "TWO" })), "TWO");
  });
  test("a value mentioned as a word in prose; the most mentioned wins; ties fail", () => {
    assert.deepEqual(value(coerce({ sentiment: "I'd say it is mostly negative." }, sentiment)), { sentiment: "NEGATIVE" });
    assert.deepEqual(coerce({ sentiment: "I'd say it is mostly negative." }, sentiment).steps, ["mention:enum@sentiment"]);
    assert.equal(coerce({ sentiment: "positive, not negative" }, sentiment).ok, false);
    assert.equal(value(coerce("neutral, definitely neutral, not negative", sentiment.properties?.sentiment as JsonSchema)), "NEUTRAL");
  });
  test("exact case is preferred before case-insensitive matching", () => {
    assert.equal(value(coerce('TWO" is one of the answers', { enum: ["ONE", "TWO"] })), "TWO");
  });
  test("BAML value aliases replace the name; x-aliases add spellings", () => {
    const baml: JsonSchema = {
      type: "string",
      enum: ["ONE", "TWO"],
      "x-baml-value-aliases": { ONE: "k1" },
    };
    assert.equal(value(coerce("k1", baml)), "ONE");
    assert.equal(coerce("ONE", baml).ok, false);
    const ours: JsonSchema = {
      type: "string",
      enum: ["US", "UK"],
      "x-aliases": { US: ["United States", "America"] },
    };
    assert.equal(value(coerce("america", ours)), "US");
    assert.equal(value(coerce("US", ours)), "US");
  });
  test("numeric and boolean consts from strings", () => {
    assert.equal(value(coerce("2", { const: 2 })), 2);
    assert.equal(value(coerce("true", { const: true })), true);
    assert.equal(coerce("3", { const: 2 }).ok, false);
  });
});

describe("reshaping", () => {
  test("a single value where an array is expected", () => {
    const r = coerce({ topics: "ai" }, object({ topics: { type: "array", items: { type: "string" } } }));
    assert.deepEqual(value(r), { topics: ["ai"] });
    assert.deepEqual(r.steps, ["wrap:array@topics"]);
  });
  test("an array of one where an object or a scalar is expected", () => {
    assert.deepEqual(value(coerce([{ a: 1 }], object({ a: { type: "integer" } }))), { a: 1 });
    assert.equal(coerce([{ a: 1 }, { a: 2 }], object({ a: { type: "integer" } })).ok, false);
    const r = coerce(["TWO"], { enum: ["ONE", "TWO"] });
    assert.equal(value(r), "TWO");
    assert.deepEqual(r.steps, ["unwrap:array"]);
  });
  test("an object under one wrapper key", () => {
    const r = coerce({ data: { name: "Ada", age: "36" } }, object({ name: { type: "string" }, age: { type: "integer" } }));
    assert.deepEqual(value(r), { name: "Ada", age: 36 });
    assert.deepEqual(r.steps, ["unwrap:object", "coerce:integer@age"], "paths name where values land");
  });
  test("a scalar inside a one-key object where the scalar is expected, but only one level deep", () => {
    assert.equal(value(coerce({ value: "THREE" }, { anyOf: [{ const: 1 }, { const: "THREE" }] })), "THREE");
    assert.equal(coerce({ status: { code: 1 } }, { anyOf: [{ const: 1 }, { const: "THREE" }] }).ok, false);
    assert.equal(coerce({ values: [1] }, { const: 1 }).ok, false);
  });
  test("a non-string value where an object with a single field is expected", () => {
    const schema = object({ foo: { type: "integer" } });
    const r = coerce(1214, schema);
    assert.deepEqual(value(r), { foo: 1214 });
    assert.deepEqual(r.steps, ["wrap:object"]);
    assert.equal(coerce("My inner string", object({ foo: { type: "string" } })).ok, false);
    const wrapped = object({ value: { enum: ["POSITIVE", "NEGATIVE"] } });
    assert.deepEqual(value(coerce("positive", wrapped)), { value: "POSITIVE" });
  });
});

describe("object keys", () => {
  test("case and spacing drift", () => {
    const r = coerce({ "Full Name": "Ada", " Age ": 36 }, object({ full_name: { type: "string" }, age: { type: "integer" } }));
    assert.deepEqual(value(r), { full_name: "Ada", age: 36 });
    assert.deepEqual(r.steps, ["alias:key@full_name", "alias:key@age"]);
    assert.deepEqual(value(coerce({ fullName: "Ada" }, object({ full_name: { type: "string" } }))), { full_name: "Ada" });
  });
  test("x-baml-alias is the spelling to read; x-aliases add to the name", () => {
    const baml = object({ name: { type: "string", "x-baml-alias": "nom" } });
    assert.deepEqual(value(coerce({ nom: "Café" }, baml)), { name: "Café" });
    assert.equal(coerce({ name: "Café" }, baml).ok, false);
    const ours = object({
      fullName: { type: "string", "x-aliases": ["full name", "name"] },
    });
    const r = coerce({ name: "Ada" }, ours);
    assert.deepEqual(value(r), { fullName: "Ada" });
    assert.deepEqual(r.steps, ["alias:key@fullName"]);
  });
  test("extra keys are dropped when additionalProperties is false, kept otherwise", () => {
    const r = coerce({ a: 1, foo: 2 }, object({ a: { type: "integer" } }));
    assert.deepEqual(value(r), { a: 1 });
    assert.deepEqual(r.steps, ["drop:extra@foo"]);
    assert.deepEqual(value(coerce({ a: 1, foo: 2 }, { type: "object", properties: { a: { type: "integer" } } })), { a: 1, foo: 2 });
    assert.deepEqual(value(coerce({ a: "2" }, { type: "object", additionalProperties: { type: "integer" } })), { a: 2 });
  });
});

describe("missing fields", () => {
  test("optional fields get their default, or null when nullable", () => {
    const schema = object(
      {
        one: { type: "string" },
        note: { anyOf: [{ type: "string" }, { type: "null" }] },
        level: { type: "integer", default: 3 },
        tag: { type: "string" },
      },
      ["one"],
    );
    const r = coerce({ one: "a" }, schema);
    assert.deepEqual(value(r), { one: "a", note: null, level: 3 });
    assert.deepEqual(r.steps, ["fill:null@note", "fill:default@level"]);
  });
  test("null for an optional field that cannot be null is left out; for a required one it fails", () => {
    const schema = object({ a: { type: "string" }, note: { type: "string" } }, ["a"]);
    const r = coerce({ a: "x", note: null }, schema);
    assert.deepEqual(value(r), { a: "x" });
    assert.deepEqual(r.steps, ["drop:null@note"]);
    assert.equal(coerce({ a: null }, schema).ok, false);
  });
  test("never invents a required value, even when the schema has a default", () => {
    const r = coerce({}, object({ required_value: { type: "integer", default: 1 } }));
    assert.equal(r.ok, false);
    assert.match(r.ok ? "" : r.error, /missing required field required_value/);
    assert.equal(coerce({ score: "N/A" }, object({ score: { type: "number" } })).ok, false);
  });
  test("an absent required list reads as empty", () => {
    const r = coerce(
      { name: "x" },
      object({
        name: { type: "string" },
        tags: { type: "array", items: { type: "string" } },
      }),
    );
    assert.deepEqual(value(r), { name: "x", tags: [] });
    assert.deepEqual(r.steps, ["fill:empty@tags"]);
  });
  test("partial mode: missing required fields become null", () => {
    const r = coerce({}, object({ bar: { const: "hello" } }), {
      mode: "partial",
    });
    assert.deepEqual(value(r), { bar: null });
  });
  test("partial mode: a field still being written is null, an unfinished last item is left out", () => {
    const schema = object({
      mood: { enum: ["POSITIVE", "NEGATIVE"] },
      scores: { type: "array", items: { type: "integer" } },
      items: {
        type: "array",
        items: object({ id: { type: "integer" }, name: { type: "string" } }),
      },
    });
    const streamed = {
      mood: "POSI",
      scores: [1, 2, "3x"],
      items: [{ id: 1, name: "a" }, { id: "2x" }],
    };
    assert.deepEqual(value(coerce(streamed, schema, { mode: "partial" })), {
      mood: null,
      scores: [1, 2],
      items: [
        { id: 1, name: "a" },
        { id: null, name: null },
      ],
    });
    assert.equal(coerce(streamed, schema).ok, false);
  });
});

describe("unions", () => {
  const circle = object({
    kind: { const: "circle" },
    radius: { type: "number" },
  });
  const square = object({
    kind: { const: "square" },
    side: { type: "number" },
  });
  test("discriminator first", () => {
    const r = coerce({ kind: "square", side: "2" }, { anyOf: [circle, square] });
    assert.deepEqual(value(r), { kind: "square", side: 2 });
  });
  test("best fit wins; ties go to the first branch", () => {
    assert.equal(value(coerce("12", { anyOf: [{ type: "integer" }, { type: "string" }] })), "12");
    assert.equal(value(coerce(12, { anyOf: [{ type: "string" }, { type: "integer" }] })), 12);
    const r = coerce("1 cup butter", {
      oneOf: [{ type: "number" }, { type: "string" }],
    });
    assert.equal(value(r), "1 cup butter");
    assert.deepEqual(
      value(
        coerce(
          { hi: ["a"] },
          {
            anyOf: [object({ foo: { type: "string" } }), object({ hi: { type: "array", items: { type: "string" } } })],
          },
        ),
      ),
      { hi: ["a"] },
    );
  });
  test("type arrays act as unions", () => {
    assert.equal(value(coerce(null, { type: ["string", "null"] })), null);
    assert.equal(value(coerce(5, { type: ["string", "null"] })), "5");
  });
});

describe("schemas", () => {
  test("$ref into $defs and definitions, recursive schemas", () => {
    const schema: JsonSchema = {
      $ref: "#/$defs/Node",
      $defs: {
        Node: object({
          value: { type: "integer" },
          next: { anyOf: [{ $ref: "#/$defs/Node" }, { type: "null" }] },
        }),
      },
    };
    assert.deepEqual(value(coerce({ value: "1", next: { value: 2, next: null } }, schema)), { value: 1, next: { value: 2, next: null } });
    assert.deepEqual(
      value(
        coerce(["7"], {
          definitions: { N: { type: "integer" } },
          type: "array",
          items: { $ref: "#/definitions/N" },
        }),
      ),
      [7],
    );
  });
  test("circular or invalid $ref fails instead of looping or throwing", () => {
    assert.equal(
      coerce(
        {},
        {
          $ref: "#/definitions/a",
          definitions: { a: { $ref: "#/definitions/a" } },
        },
      ).ok,
      false,
    );
    assert.equal(coerce({}, { $ref: 123 } as unknown as JsonSchema).ok, false);
    assert.equal(coerce({}, { $ref: "#/nowhere" }).ok, false);
    assert.equal(coerce({}, null as unknown as JsonSchema).ok, false);
  });
  test("prefixItems, allOf", () => {
    assert.deepEqual(
      value(
        coerce(["1", "x"], {
          type: "array",
          prefixItems: [{ type: "integer" }, { type: "string" }],
        }),
      ),
      [1, "x"],
    );
    const all: JsonSchema = {
      allOf: [object({ a: { type: "integer" } }), { properties: { b: { type: "string" } }, required: ["b"] }],
    };
    assert.deepEqual(value(coerce({ a: "1", b: "x" }, all)), { a: 1, b: "x" });
  });
  test("enum items that match nothing are dropped from a list; broken records fail it", () => {
    const r = coerce(["MEDIUM", "bogus"], {
      type: "array",
      items: { enum: ["LOW", "MEDIUM"] },
    });
    assert.deepEqual(value(r), ["MEDIUM"]);
    assert.deepEqual(r.steps, ["drop:invalid@[1]"]);
    assert.equal(
      coerce([{ n: 1 }, { n: "x" }], {
        type: "array",
        items: object({ n: { type: "number" } }),
      }).ok,
      false,
    );
  });
});

describe("candidates", () => {
  const test_ = object({ key: { type: "string" } });
  test("several top-level values: the first that fits, or all of them when an array is expected", () => {
    assert.deepEqual(value(coerce({ key: "v1" }, test_, { alternatives: [{ key: "v2" }] })), { key: "v1" });
    const r = coerce({ key: "v1" }, { type: "array", items: test_ }, { alternatives: [{ key: "v2" }] });
    assert.deepEqual(value(r), [{ key: "v1" }, { key: "v2" }]);
    assert.equal(r.steps[0], "combine:array");
    assert.deepEqual(value(coerce({ other: 1 }, test_, { alternatives: [{ key: "v2" }] })), { key: "v2" });
  });
  test("prose with no JSON: scalar schemas read the reply text", () => {
    assert.equal(value(coerce(undefined, { enum: ["SPAM", "NOT_SPAM"] }, { text: "This is clearly **SPAM**." })), "SPAM");
    assert.deepEqual(value(coerce(undefined, { type: "array", items: { type: "boolean" } }, { text: "The answer is True" })), [true]);
  });
  test("a repaired fragment does not override an ambiguous reply", () => {
    const r = coerce(false, { type: "boolean" }, { text: "False. Well, it could be true.", repairs: ["unquoted_value"] });
    assert.equal(r.ok, false);
  });
  test("many alternatives: stops once no later one can win", () => {
    const alternatives = Array.from({ length: 300_000 }, (_, i) => (i % 2 ? "POSITIVE" : 12));
    const r = coerce("x", { enum: ["POSITIVE", "NEGATIVE"] }, { alternatives });
    assert.equal(value(r), "POSITIVE");
    // the steps show the work: the second alternative wins and none after it is tried
    assert.deepEqual(r.steps, ["candidate:2"]);
  });
  test("fitScore ranks candidates", () => {
    const schema = object({ a: { type: "integer" } });
    assert.equal(fitScore({ a: 1 }, schema), 1);
    assert.ok(fitScore({ a: "1" }, schema) < 1 && fitScore({ a: "1" }, schema) > fitScore({ b: 1 }, schema));
    assert.equal(fitScore("nope", schema), 0);
  });
});

describe("safety", () => {
  test("deep nesting: bounded stack, a failure rather than an exception", () => {
    let deep: unknown = [];
    for (let i = 0; i < 100_000; i++) deep = [deep];
    const schema: JsonSchema = {
      $ref: "#/$defs/A",
      $defs: { A: { type: "array", items: { $ref: "#/$defs/A" } } },
    };
    const r = coerce(deep, schema);
    assert.equal(r.ok, false);
    assert.match(r.ok ? "" : r.error, /nested deeper/);
    let shallow: unknown = [];
    for (let i = 0; i < 200; i++) shallow = [shallow];
    assert.equal(coerce(shallow, schema).ok, true);
  });
  test("deep nesting under a permissive or recursive union schema", () => {
    let deep: unknown = 1;
    for (let i = 0; i < 100_000; i++) deep = { a: deep };
    const json: JsonSchema = {
      $ref: "#/$defs/J",
      $defs: {
        J: {
          anyOf: [
            { type: "integer" },
            { type: "string" },
            { type: "array", items: { $ref: "#/$defs/J" } },
            { type: "object", additionalProperties: { $ref: "#/$defs/J" } },
          ],
        },
      },
    };
    const r = coerce(deep, json);
    assert.equal(r.ok, false);
    assert.ok(!r.ok && r.error.length < 1000, "nested failures keep the message bounded");
    assert.equal(coerce(deep, {}).ok, true);
  });
  test("never throws on odd values and schemas", () => {
    const odd: unknown[] = [
      undefined,
      null,
      Number.NaN,
      "",
      "\u0000\ud800",
      [],
      {},
      [[[]]],
      { __proto__: { x: 1 } },
      Symbol("s"),
      () => 1,
      10n,
    ];
    const schemas: unknown[] = [
      {},
      { type: "object" },
      { type: "wat" },
      { enum: [] },
      { anyOf: [] },
      { const: { a: [1] } },
      { properties: null },
      { items: false },
      { pattern: "(", type: "string" },
    ];
    for (const v of odd) for (const s of schemas) assert.doesNotThrow(() => coerce(v, s as JsonSchema));
  });
  test("large input: every row is aligned to the schema", () => {
    const rows = Array.from({ length: 20_000 }, (_, i) => ({
      ID: String(i),
      Name: `n${i}`,
      score: `${i}.5`,
      tags: "x",
    }));
    const schema: JsonSchema = {
      type: "array",
      items: object({
        id: { type: "integer" },
        name: { type: "string" },
        score: { type: "number" },
        tags: { type: "array", items: { type: "string" } },
      }),
    };
    const r = coerce(rows, schema);
    assert.ok(r.ok);
    const out = r.value as Array<{ id: number; name: string; score: number; tags: string[] }>;
    assert.equal(out.length, rows.length);
    assert.deepEqual(out[19_999], { id: 19_999, name: "n19999", score: 19_999.5, tags: ["x"] });
  });
});

test("mutually recursive unions terminate when probing for null or free text", () => {
  const schema: JsonSchema = {
    type: "object",
    properties: { a: { $ref: "#/$defs/A" } },
    additionalProperties: false,
    $defs: {
      A: { anyOf: [{ $ref: "#/$defs/B" }, { type: "integer" }] },
      B: { anyOf: [{ $ref: "#/$defs/A" }, { type: "boolean" }] },
    },
  };
  assert.deepEqual(value(coerce({}, schema)), {});
  assert.deepEqual(value(coerce("7", schema)), { a: 7 });
});
