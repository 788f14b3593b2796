/**
 * Hostile input: empty, huge, 100k-deep, binary garbage, lone surrogates. Every case returns a result or a
 * typed failure, with bounded stack. Their speed (linear time) is measured by `npm run bench -- hostile-input`
 * and the scaling table of `npm run bench -- recovery`, not asserted here with a clock.
 */
import assert from "node:assert/strict";
import { test } from "node:test";
import { recover } from "../../src/recovery/index.js";

test("empty and blank input fail with a reason", () => {
  for (const text of ["", " ", "\n", "\ufeff"]) {
    const result = recover(text);
    assert.equal(result.ok, false);
    assert.ok(!result.ok && result.error.length > 0);
  }
});

test("non-string input is a typed failure, not a throw", () => {
  assert.equal(recover(undefined as unknown as string).ok, false);
  assert.equal(recover(42 as unknown as string).ok, false);
});

test("100k levels of nesting: no stack overflow, value built iteratively", () => {
  const depth = 100_000;
  for (const text of ["[".repeat(depth), '{"a":'.repeat(depth), `${"[".repeat(depth)}1${"]".repeat(depth - 1)}`]) {
    const result = recover(text);
    assert.ok(result.ok, "deep input recovered");
    let node: unknown = result.value;
    let levels = 0;
    while (node !== null && typeof node === "object") {
      node = Array.isArray(node) ? node[0] : (node as Record<string, unknown>).a;
      levels++;
    }
    assert.ok(levels >= depth - 1, `only ${levels} levels`);
  }
  const valid = `${"[".repeat(depth)}${"]".repeat(depth)}`;
  assert.equal(recover(valid).ok, true);
});

test("binary garbage and lone surrogates: a result, never a throw", () => {
  let seed = 7;
  const random = () => {
    seed = (seed * 1103515245 + 12345) & 0x7fffffff;
    return seed;
  };
  for (let n = 0; n < 200; n++) {
    let text = "";
    for (let i = 0; i < 200; i++) text += String.fromCharCode(random() & 0xffff);
    assert.equal(typeof recover(text).ok, "boolean");
  }
  const lone = recover('{"a": "x\ud800y", "b": "\\udc00"');
  assert.ok(lone.ok);
  assert.deepEqual(lone.value, { a: "x\ud800y", b: "\udc00" });
});

test("a 50 MB reply and 10 MB of binary noise come back with an answer", () => {
  const body = "lorem ipsum 'dolor' sit \"amet\", ".repeat(1_600_000);
  const huge = `Sure: {'text': '${body}', 'n': 1,`;
  assert.ok(huge.length > 50_000_000);
  const result = recover(huge);
  assert.ok(result.ok);
  assert.equal((result.value as { text: string }).text.length, body.length);
  const noise = "\u0000{[\"'\\".repeat(1_700_000);
  assert.equal(typeof recover(noise).ok, "boolean");
});

test("pathological quote and comma runs return a result", () => {
  const cases = [
    `{"a": "${"x,".repeat(200_000)}`,
    `{"a": "${'x" '.repeat(200_000)}"}`,
    `["${'a, "'.repeat(100_000)}]`,
    `${"'a' + ".repeat(100_000)}'b'`,
    `{${"a b c ".repeat(100_000)}}`,
    `{"a": **${'some words, "quoted" '.repeat(50_000)}}`,
    `{"a": x${", y\n".repeat(100_000)}}`,
  ];
  for (const text of cases) {
    const result = recover(text);
    assert.equal(typeof result.ok, "boolean");
    assert.ok(result.ok || result.error.length > 0, `${text.slice(0, 20)}…: a failure says why`);
  }
});
