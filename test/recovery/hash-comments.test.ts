/**
 * `#` comments: a comment runs to the end of its line, or to a bracket on that line which closes a container
 * open around the comment (`{"a": 1 # note }, "b": 2}`). Through the public recover().
 */
import assert from "node:assert/strict";
import { test } from "node:test";
import { recover } from "ballast/recovery";

function value(text: string): unknown {
  const r = recover(text);
  assert.ok(r.ok, r.ok ? "" : r.error);
  return r.value;
}

test("a comment before a closer on the same line ends at that closer", () => {
  assert.deepEqual(value('{ "key": { "key2": "value2" # comment }, "key3": "value3" }'), { key: { key2: "value2" }, key3: "value3" });
  assert.deepEqual(value('{"list": [1, 2 # two ], "n": 3}'), { list: [1, 2], n: 3 });
});

test("a comment runs to the end of its line, brackets it opens included", () => {
  assert.deepEqual(value('{\n  "a": 1, # see {b} and [c]\n  "d": 2\n}'), { a: 1, d: 2 });
  assert.deepEqual(value("# header ]\n[1, 2]"), [1, 2]);
});
