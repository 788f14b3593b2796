/**
 * Hostile input: empty, huge, 100k-deep, binary garbage, lone surrogates. Every case returns a result or a
 * typed failure, with bounded stack and in linear time.
 */
import assert from "node:assert/strict";
import { test } from "node:test";
import { recover } from "../../src/recovery/index.js";
import { cpuNow } from "./cpu-time.js";

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

function brokenDocument(records: number): string {
  const parts: string[] = [];
  for (let i = 0; i < records; i++) parts.push(`{'id': ${i}, 'name': 'record ${i}', 'tags': ['a', 'b',],},`);
  return `[${parts.join("\n")}]`;
}

test("a 50 MB reply and 10 MB of binary noise come back in linear time", () => {
  const body = "lorem ipsum 'dolor' sit \"amet\", ".repeat(1_600_000);
  const huge = `Sure: {'text': '${body}', 'n': 1,`;
  assert.ok(huge.length > 50_000_000);
  let started = cpuNow();
  const result = recover(huge);
  assert.ok(result.ok);
  assert.equal((result.value as { text: string }).text.length, body.length);
  assert.ok(cpuNow() - started < 10_000, `took ${cpuNow() - started} ms`);
  const noise = "\u0000{[\"'\\".repeat(1_700_000);
  started = cpuNow();
  assert.equal(typeof recover(noise).ok, "boolean");
  assert.ok(cpuNow() - started < 10_000, `noise took ${cpuNow() - started} ms`);
});

test("time grows linearly: 4x the input takes well under 16x the time", () => {
  const small = brokenDocument(20_000);
  const large = brokenDocument(80_000);
  const time = (text: string) => {
    let best = Number.POSITIVE_INFINITY;
    for (let i = 0; i < 3; i++) {
      const started = cpuNow();
      recover(text.slice(0, Math.floor(text.length * 0.97)));
      best = Math.min(best, cpuNow() - started);
    }
    return best;
  };
  time(small);
  const ratio = time(large) / time(small);
  assert.ok(ratio < 8, `4x input took ${ratio.toFixed(1)}x time`);
});

test("pathological quote and comma runs stay linear", () => {
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
    const started = cpuNow();
    const result = recover(text);
    const elapsed = cpuNow() - started;
    assert.equal(typeof result.ok, "boolean");
    assert.ok(elapsed < 3_000, `${text.slice(0, 20)}… took ${elapsed} ms`);
  }
});
