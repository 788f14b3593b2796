/**
 * Property tests (fast-check): on valid JSON the repair scanner alone agrees exactly with JSON.parse, and on
 * arbitrary strings recover() and the incremental parser terminate with a result instead of throwing.
 */
import assert from "node:assert/strict";
import { test } from "node:test";
import fc from "fast-check";
import { createIncrementalParser, recover } from "../../src/recovery/index.js";
import { repair } from "../../src/recovery/recover.js";

const jsonText = fc.oneof(
  fc.json({ maxDepth: 4 }),
  fc.jsonValue({ maxDepth: 4 }).map((v) => JSON.stringify(v, null, 2)),
  fc.jsonValue({ maxDepth: 3, stringUnit: "binary" }).map((v) => JSON.stringify(v)),
);

test("valid JSON: the scanner (no JSON.parse fast path) agrees exactly with JSON.parse", () => {
  fc.assert(
    fc.property(jsonText, (text) => {
      const result = repair(text, null);
      assert.ok(result.ok, `failed on ${text}`);
      assert.deepStrictEqual(result.value, JSON.parse(text));
    }),
    { numRuns: 1500 },
  );
});

test("valid JSON: recover() and the incremental parser agree exactly with JSON.parse", () => {
  fc.assert(
    fc.property(jsonText, fc.integer({ min: 1, max: 17 }), (text, size) => {
      const expected = JSON.parse(text);
      const one = recover(text);
      assert.ok(one.ok);
      assert.deepStrictEqual(one.value, expected);
      const parser = createIncrementalParser();
      for (let i = 0; i < text.length; i += size) parser.push(text.slice(i, i + size));
      const end = parser.end();
      assert.ok(end.ok);
      assert.deepStrictEqual(end.value, expected);
    }),
    { numRuns: 500 },
  );
});

const jsonish = fc.string({
  unit: fc.constantFrom(..."{}[]()\"'`“”:,.-+eE0123456789 \n\t\\/*#truefalsnNoTFxu…".split("")),
  maxLength: 60,
});

test("arbitrary strings: recover() terminates with a well-formed result and never throws", () => {
  fc.assert(
    fc.property(fc.oneof(jsonish, fc.string({ unit: "binary", maxLength: 60 })), (text) => {
      const result = recover(text);
      assert.equal(typeof result.ok, "boolean");
      assert.ok(Array.isArray(result.steps));
      if (!result.ok) assert.equal(typeof result.error, "string");
      const strict = recover(text, { strict: true, schema: { type: "object", properties: { a: { type: "string" } } } });
      assert.equal(typeof strict.ok, "boolean");
    }),
    { numRuns: 3000 },
  );
});

test("arbitrary chunks: the incremental parser never throws", () => {
  fc.assert(
    fc.property(fc.array(jsonish, { maxLength: 8 }), (chunks) => {
      const parser = createIncrementalParser();
      for (const chunk of chunks) {
        const partial = parser.push(chunk);
        assert.equal(typeof partial.complete.has(""), "boolean");
        assert.ok(partial.complete.size >= 0);
      }
      assert.equal(typeof parser.end().ok, "boolean");
    }),
    { numRuns: 1000 },
  );
});
