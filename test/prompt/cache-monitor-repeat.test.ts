// The cache monitor's repeat-call fast path (the same template as the task's previous call) must report
// exactly what the full comparison would: nothing while the template repeats, a buster when it changes,
// after the window, and a default prompt_cache_key that always belongs to the current prefix.
import assert from "node:assert/strict";
import { test } from "node:test";
import { buildPrompt, createCacheMonitor, promptCacheKey } from "ballast/prompt";

const schema = { type: "object", properties: { label: { type: "string" } }, required: ["label"] };
const longText = (tag: string) => `${tag}: ${"Classify the review by sentiment and topic. ".repeat(120)}`;
const call = (instructions: string, input: string, n: number) => ({
  callId: `c${n}`,
  task: "t",
  sections: buildPrompt({ instructions, input }),
  provider: "openai",
  modelId: "gpt-4o-mini",
  schema,
});

test("repeated templates find nothing; a changed one is a cache-buster; an unchanged one after the window is not", () => {
  let now = 1_000_000;
  const monitor = createCacheMonitor({ clock: () => now });
  const a = longText("A");
  assert.deepEqual(monitor.observe(call(a, "first", 1)), []);
  for (let i = 2; i < 50; i++) {
    now += 1_000;
    assert.deepEqual(monitor.observe(call(a, `input ${i}`, i)), [], `call ${i}`);
  }
  now += 1_000;
  const changed = monitor.observe(call(longText("B"), "x", 50));
  assert.equal(changed.length, 1);
  assert.equal(changed[0]!.kind, "cache_buster");
  now += 1_000;
  assert.deepEqual(monitor.observe(call(longText("B"), "y", 51)), [], "B is warm now");
  now += 1_000;
  assert.deepEqual(monitor.observe(call(a, "z", 52)), [], "A was seen within the window: still warm");
  now += 6 * 60_000; // past the 5-minute window: the full comparison runs; an expiry is not a change
  assert.deepEqual(monitor.observe(call(a, "late", 53)), []);
  now += 1_000;
  const again = monitor.observe(call(longText("C"), "after", 54));
  assert.equal(again[0]?.kind, "cache_buster", "a change right after the full comparison is still found");
  assert.equal(monitor.layout("t")?.sections.at(-1)?.name, "input");
});

test("the default prompt_cache_key follows the prefix, even after a call that set its own key", () => {
  const monitor = createCacheMonitor();
  const a = longText("A");
  const b = longText("B");
  const keyA = monitor.prepare(call(a, "1", 1)).key;
  assert.equal(monitor.prepare(call(a, "2", 2)).key, keyA);
  assert.equal(monitor.prepare({ ...call(b, "3", 3), cache: { key: "mine" } }).key, "mine");
  const keyB = monitor.prepare(call(b, "4", 4)).key;
  assert.notEqual(keyB, keyA);
  assert.equal(keyB, promptCacheKey("t", buildPrompt({ instructions: b, input: "4" }), schema));
  assert.equal(monitor.prepare(call(b, "5", 5)).key, keyB);
});
