/**
 * repairBytes(), the byte fast pass, against recover(): whenever it answers, its bytes are exactly
 * JSON.stringify(recover(text).value) and its steps recover()'s, checked at every cut point (every byte
 * prefix) of rich documents, on seeded random documents, and on the repair corpus. It must answer on the
 * recovery bench's kind of document (so that `ballast repair` really takes it), and give up on what lies
 * outside its grammar.
 */
import assert from "node:assert/strict";
import { test } from "node:test";
import { IN_PLACE_ROOM, recover, repairBytes, repairBytesInPlace } from "../../src/recovery/index.js";
import { loadCorpus } from "./corpus-helpers.js";

const encoder = new TextEncoder();
const decoder = new TextDecoder();

/**
 * repairBytes on `bytes`: "none" when it gives up, else "same" after checking it agrees with recover(); and
 * repairBytesInPlace on a copy, which must agree too whenever it answers (it may give up more often).
 */
function agrees(bytes: Uint8Array, label: string): "none" | "same" {
  const steps: string[] = [];
  const got = repairBytes(bytes, steps);
  const buffer = new Uint8Array(bytes.length + IN_PLACE_ROOM);
  buffer.set(bytes);
  const inPlaceSteps: string[] = [];
  const inPlace = repairBytesInPlace(buffer, bytes.length, inPlaceSteps);
  if (inPlace !== null) {
    assert.ok(got !== null, `${label}: in place answered where repairBytes gave up: ${JSON.stringify(decoder.decode(bytes))}`);
    assert.ok(Buffer.from(inPlace).equals(got), `${label}: in place wrote ${decoder.decode(inPlace)}, not ${decoder.decode(got)}`);
    assert.deepEqual(inPlaceSteps, steps, `${label}: steps in place`);
  }
  if (got === null) return "none";
  const text = decoder.decode(bytes);
  const result = recover(text);
  assert.ok(result.ok, `${label}: the pass answered where recover() fails: ${JSON.stringify(text)}`);
  const want = encoder.encode(JSON.stringify(result.value));
  assert.ok(
    Buffer.from(got).equals(want),
    `${label}: ${JSON.stringify(text)}\n got  ${decoder.decode(got)}\n want ${decoder.decode(want)}`,
  );
  assert.deepEqual(steps, result.steps, `${label}: steps of ${JSON.stringify(text)}`);
  return "same";
}

/** Every byte prefix of `doc` (cuts inside multi-byte characters included); how many the pass answered. */
function everyCut(doc: string, label: string): { answered: number; total: number } {
  const bytes = encoder.encode(doc);
  let answered = 0;
  for (let cut = 0; cut <= bytes.length; cut++) if (agrees(bytes.subarray(0, cut), `${label}@${cut}`) === "same") answered++;
  return { answered, total: bytes.length + 1 };
}

/** The recovery bench's document: records with every string single-quoted and a trailing comma everywhere. */
function benchShaped(count: number): string {
  const records = [];
  for (let i = 0; i < count; i++) {
    const zip = i % 5 ? `'${10000 + i}'` : "null";
    records.push(
      `{'id': ${i}, 'name': 'customer ${i}', 'score': ${Math.round(((i * 7919) % 10000) * 1.37) / 100}, 'active': ${i % 3 !== 0}, ` +
        `'tags': ['alpha', 'group-${i % 17}', 'long tag with spaces',], 'address': {'street': '${i} Main Street', 'city': ` +
        `'${i % 2 ? "Lisbon" : "Osaka"}', 'zip': ${zip},}, 'note': 'Lorem ipsum dolor sit amet, consectetur adipiscing elit; sed do eiusmod tempor.',},`,
    );
  }
  return `[\n${records.join("\n")}\n]`;
}

const RICH = [
  // escapes of every kind in both quotes, unicode, numbers of every form, literals, nesting, trailing commas
  `{"a": "x", 'b': 'it\\'s "q" \\u00e9 \\n \\t \\\\ \\/ \\u0001 \\u0022 \\u005C \\b\\f\\r', "c": [1, -2.50, 0.001, 0.000001, 12.0, 0, -0, -0.0, 123456789012345, true, false, null,],
  'd': {'e': [], 'f': {}, 'g': [[]],}, 'h': 'café ☕ \u{1F600} \u2028 ok', "i": "(x) y", 'j': '', "k": "a'b", '': 'empty key', 'sp ace': 'v',}`,
  // pretty-printed, double quotes, CRLF and tabs, a list of lists ending in a list
  `[\r\n\t{"name": "A", "tags": ["x", "y",], "n": 12, "ok": true},\r\n\t{'name': 'B, c', "tags": [], "n": -3.25, "ok": false, "nested": {"deep": [[1, 2], [3, [4, {"z": null}]]]}},\r\n]`,
  // strings with commas, colons, brackets-like punctuation that the pass must cut exactly as the scanner does
  `{'note': 'one, two: three', 'list': ['a, b', 'c: d', 'e (f)', 'g} h', 'i] j',], 'x': 'k', 'n': 5, 'paren': 'a (b'}`,
  `[{'a': 1}, {'b': [true, false, null]}, ['x', "y"], "z", 0.5, -7]`,
];

test("repairBytes: byte-identical to recover() at every cut of rich documents", () => {
  for (const [i, doc] of RICH.entries()) {
    const { answered, total } = everyCut(doc, `rich${i}`);
    assert.equal(agrees(encoder.encode(doc), `rich${i} whole`), "same", `rich${i}: answers on the whole document`);
    assert.ok(answered > total / 2, `rich${i}: answered ${answered} of ${total} cuts`);
  }
});

test("repairBytes: answers on the bench's document and nearly all of its cuts", () => {
  const doc = benchShaped(12);
  const { answered, total } = everyCut(doc, "bench");
  // the cuts it leaves to recover(): right after a key that follows a string value (`'x', 'key'`), which
  // the scanner reads as text of that value, and the empty document
  assert.ok(answered >= total * 0.98, `answered ${answered} of ${total} cuts`);
  const big = encoder.encode(benchShaped(4000)); // over 1 MB: the pass primes itself first
  for (const share of [1, 0.97, 0.5, 0.123]) {
    const cut = big.subarray(0, Math.floor(big.length * share));
    const label = `bench ${share}`;
    if (agrees(cut, label) === "none") {
      // a cut between a string value and the key after it is left to recover(): one byte more is not
      assert.equal(agrees(big.subarray(0, cut.length - 1), label), "same", `${label}: answers`);
    }
  }
});

/** A seeded generator of JSON-like documents in the pass's grammar and around its edges. */
function randomDocuments(seed: number, count: number): string[] {
  let state = seed;
  const random = () => {
    state = (state * 1103515245 + 12345) & 0x7fffffff;
    return state / 0x80000000;
  };
  const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)]!;
  const pieces = [
    "a",
    "key",
    " ",
    ", ",
    ": ",
    "(",
    ")",
    "'",
    '"',
    "\\'",
    '\\"',
    "\\n",
    "\\\\",
    "\\u00e9",
    "\\u0041",
    "é",
    "😀",
    "\u00a0",
    "+",
    "}",
    "]",
    "-",
    "x y",
    "\\/",
  ];
  const blank = () => pick(["", "", " ", "\n  ", "\t", " ".repeat(Math.floor(random() * 140))]);
  const quoted = (key: boolean) => {
    const q = pick(["'", '"']);
    if (key && random() < 0.6) return `${q}${pick(["id", "name", "a", "b", "0", "12", "__proto__", "", " sp ", "x-y"])}${q}`;
    let body = "";
    for (let k = Math.floor(random() * 5); k > 0; k--) {
      const piece = pick(pieces);
      if (piece !== q || random() < 0.2) body += piece;
    }
    return q + body + q;
  };
  const scalar = () =>
    random() < 0.6
      ? quoted(false)
      : pick([
          "0",
          "-0",
          "1",
          "-1",
          "12.5",
          "1.50",
          "0.001",
          "0.0000001",
          "1e5",
          "123456789012345678",
          "1,234.5",
          "007",
          "1.",
          "true",
          "false",
          "null",
          "None",
          "nul",
        ]);
  const value = (depth: number): string => {
    const r = random();
    const close = (i: number, n: number) => (i < n - 1 || random() < 0.5 ? "," : "") + blank();
    if (depth < 4 && r < 0.25) {
      let s = `{${blank()}`;
      const n = Math.floor(random() * 4);
      for (let i = 0; i < n; i++) s += `${quoted(true)}${blank()}:${blank()}${value(depth + 1)}${blank()}${close(i, n)}`;
      return `${s}}`;
    }
    if (depth < 4 && r < 0.5) {
      let s = `[${blank()}`;
      const n = Math.floor(random() * 5);
      for (let i = 0; i < n; i++) s += `${value(depth + 1)}${blank()}${close(i, n)}`;
      return `${s}]`;
    }
    return scalar();
  };
  return Array.from({ length: count }, () =>
    random() < 0.5 ? `{${quoted(true)}: ${value(1)}, ${quoted(true)}: ${value(1)}}` : `[${value(1)}, ${value(1)}]`,
  );
}

test("repairBytes: byte-identical to recover() at every cut of seeded random documents", () => {
  let answered = 0;
  for (const [i, doc] of randomDocuments(7, 150).entries()) answered += everyCut(doc, `random${i}`).answered;
  assert.ok(answered > 1000, `the random documents exercise the pass (${answered} answers)`);
});

test("repairBytesInPlace: answers on the bench's document, over its own buffer, and leaves other input alone", () => {
  const doc = encoder.encode(benchShaped(4000));
  const cut = Math.floor(doc.length * 0.97);
  const buffer = new Uint8Array(cut + IN_PLACE_ROOM);
  buffer.set(doc.subarray(0, cut));
  const expected = repairBytes(doc.subarray(0, cut));
  const got = repairBytesInPlace(buffer, cut);
  assert.ok(got !== null && expected !== null);
  assert.equal(got.buffer, buffer.buffer, "a view of the same buffer");
  assert.ok(Buffer.from(got).equals(expected));
  assert.equal(repairBytesInPlace(buffer, cut - IN_PLACE_ROOM + 1), null, "no room past the document");
  // repairBytes never writes to its input, even where reading goes on after a cut string
  const input = encoder.encode("{'a': 'x',   ");
  const copy = input.slice();
  assert.ok(repairBytes(input) !== null);
  assert.deepEqual(input, copy);
});

test("repairBytes: never disagrees with recover() on the repair corpus", () => {
  let answered = 0;
  for (const c of loadCorpus("repair.jsonl")) if (agrees(encoder.encode(c.input), c.id) === "same") answered++;
  assert.ok(answered > 0);
});

test("repairBytes: gives up on what lies outside its grammar", () => {
  const outside = [
    "",
    "   ",
    "The answer is 42.",
    "Sure! Here it is: {'a': 1}",
    "```json\n{'a': 1}\n```",
    "{'a': 1} // note",
    "{'a': /* note */ 1}",
    "{'a': 1 # note\n}",
    "{a: 1}",
    "{'a': True}",
    "{'a': None}",
    "{'a': NaN}",
    "{'a': undefined}",
    "{'a': 1e5}",
    "{'a': 12345678901234567890}",
    "{'a': 0.0000001}",
    "{'a': 007}",
    "{'a': 1.}",
    "{'a': .5}",
    "{'a': 1, 'a': 2}",
    "{'2': 'b', 'a': 1}",
    "[1,234.5]",
    "{'a': 1} {'b': 2}",
    "{'a': 1} trailing words",
    "[1 2]",
    "{'a' 1}",
    "{'a': 'x' 'y'}",
    "{'a': 'x' + 'y'}",
    "{'a': 'tab\there'}",
    "{'a': 'line\nbreak'}",
    "{'a': 'bad \\x escape'}",
    "{'a': 'lone \\ud83d half'}",
    "{'a': '{braces} inside'}",
    "{'a': ‘smart’}",
    "<think>hmm</think>{'a': 1}",
    '{\\"a\\": 1}',
    "[['a'], 'b', 'c']",
    "{'a': 1,, 'b': 2}",
    "[1,, 2]",
    "{'a': }",
    "{'a': 'x', 'b'",
    "{'a': 'cut, at comma, twice,",
    `{${"'k': ".repeat(1)}${"[".repeat(600)}`,
    `[${" ".repeat(200)}1]`,
  ];
  for (const text of outside) assert.equal(repairBytes(encoder.encode(text)), null, JSON.stringify(text));
  // invalid UTF-8 decodes to U+FFFD, which only recover() prints
  assert.equal(repairBytes(Uint8Array.from([0x5b, 0x27, 0xff, 0x27, 0x5d])), null);
});

test("repairBytes: a valid document comes back unchanged but for whitespace, with no steps", () => {
  const doc = '{\n  "name": "Ada",\n  "langs": ["en", "fr"],\n  "score": 8.5\n}\n';
  const steps: string[] = [];
  const got = repairBytes(encoder.encode(doc), steps);
  assert.ok(got !== null);
  assert.equal(decoder.decode(got), JSON.stringify(JSON.parse(doc)));
  assert.deepEqual(steps, []);
});
