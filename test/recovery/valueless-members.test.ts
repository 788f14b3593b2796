/**
 * Members written with no value at all (`"count": ,`): with a schema, a field that cannot be null gets its
 * default, else the empty value of its type; a null the model did write still fails such a field.
 * Through the public recover(text, { schema }).
 */
import assert from "node:assert/strict";
import { test } from "node:test";
import { recover } from "ballast/recovery";

const record = {
  type: "object",
  properties: {
    text: { type: "string" },
    count: { type: "integer" },
    flag: { type: "boolean" },
    tags: { type: "array", items: { type: "string" } },
    extra: { type: "object" },
    level: { type: "string", default: "low" },
  },
  required: ["text", "count", "flag", "tags", "extra", "level"],
} as const;

test("each valueless member takes its default or its type's empty value", () => {
  const r = recover('{"text": , "count": , "flag": , "tags": , "extra": , "level": }', { schema: record as never });
  assert.ok(r.ok, r.ok ? "" : r.error);
  assert.deepEqual(r.value, { text: "", count: 0, flag: false, tags: [], extra: {}, level: "low" });
  assert.ok(r.steps.includes("fill:empty@count"));
  assert.ok(r.steps.includes("missing_value"));
});

test("a key with no colon and no value before the closing brace counts as valueless too", () => {
  const schema = { type: "object", properties: { a: { type: "integer" }, b: { type: "string" } }, required: ["a", "b"] };
  const r = recover('{"a": 1, "b"}', { schema: schema as never });
  assert.ok(r.ok, r.ok ? "" : r.error);
  assert.deepEqual(r.value, { a: 1, b: "" });
});

test("a null the model wrote is not filled in", () => {
  const r = recover('{"text": null, "count": , "flag": true, "tags": [], "extra": {}, "level": "x"}', { schema: record as never });
  assert.equal(r.ok, false);
});

test("fields whose empty value would break the schema stay a failure", () => {
  const schema = {
    type: "object",
    properties: { code: { type: "string", pattern: "^[A-Z]+$" }, kind: { enum: ["a", "b"] } },
    required: ["code", "kind"],
  };
  assert.equal(recover('{"code": , "kind": "a"}', { schema: schema as never }).ok, false);
  assert.equal(recover('{"code": "AB", "kind": }', { schema: schema as never }).ok, false);
});

test("strict mode refuses a valueless member", () => {
  const r = recover('{"text": , "count": 1, "flag": true, "tags": [], "extra": {}, "level": "x"}', {
    schema: record as never,
    strict: true,
  });
  assert.equal(r.ok, false);
});
