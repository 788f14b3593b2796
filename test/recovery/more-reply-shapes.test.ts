/**
 * More broken reply shapes, through the public recover(): a comma written where a key's colon belongs.
 */
import assert from "node:assert/strict";
import { test } from "node:test";
import { recover } from "ballast/recovery";

function value(text: string, schema?: object): unknown {
  const r = recover(text, schema === undefined ? {} : { schema: schema as never });
  assert.ok(r.ok, r.ok ? "" : r.error);
  return r.value;
}

test("a comma written where a key's colon belongs, before a value that is no string", () => {
  assert.deepEqual(value('{"key", 105}'), { key: 105 });
  assert.deepEqual(value('{"a": 1, "b", [2, 3]}'), { a: 1, b: [2, 3] });
  assert.deepEqual(value('{"a", {"b": true}, "c": null}'), { a: { b: true }, c: null });
  assert.deepEqual(value('{"a", true}'), { a: true });
  // quoted strings after the comma stay a set literal, or a member with no value before a key
  assert.deepEqual(value('{"a", "b"}'), ["a", "b"]);
  assert.deepEqual(value('{"a": 1, "b", "c": 2}'), { a: 1, b: null, c: 2 });
  assert.deepEqual(value('{"a": 1, "b", c: 2}'), { a: 1, b: null, c: 2 });
  assert.equal(recover('{"a", }').ok, false);
});
