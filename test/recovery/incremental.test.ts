/**
 * Incremental mode: partial values after each chunk, the `complete` paths, strings that grow while numbers
 * appear only whole, and a final result equal to one-shot recovery whatever the chunking.
 */
import assert from "node:assert/strict";
import { test } from "node:test";
import { createIncrementalParser, recover } from "../../src/recovery/index.js";

test("partial values grow chunk by chunk and completed paths are reported", () => {
  const parser = createIncrementalParser();
  let partial = parser.push('{"sentiment": "pos');
  assert.deepEqual(partial.value, { sentiment: "pos" });
  assert.equal(partial.complete.has("/sentiment"), false);
  partial = parser.push('itive", "topics": ["a');
  assert.deepEqual(partial.value, { sentiment: "positive", topics: ["a"] });
  assert.ok(partial.complete.has("/sentiment"));
  assert.equal(partial.complete.has("/topics/0"), false);
  assert.equal(partial.complete.has("/topics"), false);
  partial = parser.push('", "b"], "score": 12');
  assert.deepEqual(partial.value, { sentiment: "positive", topics: ["a", "b"] }, "a number appears only once complete");
  assert.deepEqual([...partial.complete].sort(), ["/sentiment", "/topics", "/topics/0", "/topics/1"]);
  partial = parser.push(".5}");
  assert.deepEqual(partial.value, { sentiment: "positive", topics: ["a", "b"], score: 12.5 });
  assert.ok(partial.complete.has("") && partial.complete.has("/score"));
  assert.equal(partial.complete.size, 6);
  assert.deepEqual(parser.end(), { ok: true, value: { sentiment: "positive", topics: ["a", "b"], score: 12.5 }, steps: [] });
});

test("end() on a broken or prose-wrapped stream falls back to full recovery", () => {
  const text = "Sure! Here it is:\n```json\n{'name': 'Ada', 'langs': ['en', 'fr',],\n";
  const parser = createIncrementalParser();
  for (let i = 0; i < text.length; i += 5) parser.push(text.slice(i, i + 5));
  const partial = parser.push("");
  assert.deepEqual(partial.value, { name: "Ada", langs: ["en", "fr"] });
  const end = parser.end();
  assert.deepEqual(end, recover(text));
  assert.ok(end.ok && end.steps.includes("truncated"));
});

test("escapes and surrogate pairs split across chunks", () => {
  const doc = JSON.stringify({ s: 'a"b\\c\u00e9\ud83d\ude00\n', "k/~": [1, -2.5e-3, true, null] });
  for (let size = 1; size <= 5; size++) {
    const parser = createIncrementalParser();
    for (let i = 0; i < doc.length; i += size) parser.push(doc.slice(i, i + size));
    const end = parser.end();
    assert.deepEqual(end, { ok: true, value: JSON.parse(doc), steps: [] });
  }
  const parser = createIncrementalParser();
  const last = parser.push(doc);
  assert.ok(last.complete.has("/k~1~0/1"));
});

test("total work is linear: 64-byte chunks of 8x the input do 8x the work", () => {
  const make = (n: number) => JSON.stringify(Array.from({ length: n }, (_, i) => ({ id: i, name: `item ${i}`, tags: ["a", "b"] })));
  // `work` counts the characters the parser examined, so linearity is proven without a clock.
  const run = (doc: string) => {
    const parser = createIncrementalParser();
    for (let i = 0; i < doc.length; i += 64) parser.push(doc.slice(i, i + 64));
    assert.ok(parser.end().ok);
    const work = (parser as unknown as { work: number }).work;
    assert.equal(typeof work, "number", "the parser exposes its work counter");
    assert.ok(work >= doc.length / 2, `work ${work} for ${doc.length} characters: the counter counts`);
    assert.ok(work <= 2 * doc.length, `work ${work} for ${doc.length} characters: each is examined a bounded number of times`);
    return work;
  };
  const small = make(12_000);
  const large = make(96_000);
  const ratio = run(large) / run(small);
  const sizes = large.length / small.length;
  assert.ok(Math.abs(ratio - sizes) < 0.05 * sizes, `${sizes.toFixed(2)}x input did ${ratio.toFixed(2)}x work`);
});
