/**
 * A schema with a map (an object whose `additionalProperties` is a schema) takes keys it cannot list: a
 * quote followed by a comma and a new `"key":` in such a map closes the value, whatever the key is.
 * Through the public recover(text, { schema }).
 */
import assert from "node:assert/strict";
import { test } from "node:test";
import { recover } from "ballast/recovery";

const vertex = {
  type: "object",
  properties: { id: { type: "string" }, metadata: { type: "object", additionalProperties: { type: "string" } } },
  required: ["id", "metadata"],
} as const;

test("members of a map are told apart though the schema names none of their keys", () => {
  // a cut-off reply goes through the scanner's careful path, where the schema's keys are consulted
  const text = '{\n  "id": "ada",\n  "metadata": {\n    "name": "Ada Lovelace",\n    "field": "Mathematics"\n  }\n';
  const r = recover(text, { schema: vertex as never });
  assert.ok(r.ok, r.ok ? "" : r.error);
  assert.deepEqual(r.value, { id: "ada", metadata: { name: "Ada Lovelace", field: "Mathematics" } });
});

test("without a map, an unknown key after a quote still reads as part of the value", () => {
  const record = { type: "object", properties: { note: { type: "string" } }, required: ["note"] };
  const r = recover('{"note": "see "a", "b": here"', { schema: record as never });
  assert.ok(r.ok, r.ok ? "" : r.error);
  assert.deepEqual(r.value, { note: 'see "a", "b": here' });
});
