/**
 * A quotation inside a string value whose quotes were not escaped (`"he said "hi" to me"`): the quote that
 * closes the quotation is followed by more words, and the string goes on. Through the public recover().
 */
import assert from "node:assert/strict";
import { test } from "node:test";
import { recover } from "ballast/recovery";

function value(text: string): unknown {
  const r = recover(text);
  assert.ok(r.ok, r.ok ? "" : r.error);
  return r.value;
}

test("a quotation then more words before the closing brace stays in the string", () => {
  assert.deepEqual(value('{"note": "he said "hi" to me}'), { note: 'he said "hi" to me' });
  assert.deepEqual(value('{"key": "lorem ipsum "sic " tamet. ...}'), { key: 'lorem ipsum "sic " tamet. ...' });
});

test("a quotation inside a value followed by further members", () => {
  assert.deepEqual(value('{"note": "he said "hi" to me", "n": 1}'), { note: 'he said "hi" to me', n: 1 });
  assert.deepEqual(value('{"a": "The "best" one", "b": "w"}'), { a: 'The "best" one', b: "w" });
});

test("a closed value followed by junk words still ends at its quote", () => {
  assert.deepEqual(value('{"a": "data" junk }'), { a: "data" });
});
