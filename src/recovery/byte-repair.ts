/**
 * The byte fast pass: repairBytes() turns a broken JSON document straight into the bytes of the repaired
 * one, without building any JS value. One forward pass over UTF-8 bytes: double-quoted strings copied,
 * single-quoted ones converted, trailing commas and whitespace dropped, numbers and literals checked, and
 * what a cut left open closed. It covers the common breakage of large replies (single quotes, trailing
 * commas, truncation) and gives up (null) on anything else — comments, unquoted keys, Python literals,
 * fences, prose, duplicate keys, numbers or escapes JSON.stringify would print differently, cut states
 * whose reading depends on the repair scanner's heuristics. When it answers, the bytes are exactly
 * `JSON.stringify(recover(text).value)`: the same reading of the same text, only cheaper.
 * repairBytesInPlace() does the same over the buffer holding the document (`ballast repair` on a file).
 */
import { BytePass, MAX_DEPTH } from "./byte-pass.js";
import { mentionsThinkTag } from "./byte-tokens.js";

/**
 * The repaired JSON of `input` (UTF-8) as bytes, byte-identical to `JSON.stringify(recover(text).value)`
 * for the decoded text, or null when the document is outside what the pass fully understands (then use
 * recover()). `steps`, when given, receives the repair steps recover() reports, in its order (none for
 * a document that was valid JSON). Never throws.
 */
export function repairBytes(input: Uint8Array, steps?: string[]): Uint8Array | null {
  return repairInto(input, { length: input.length, out: null, steps });
}

/** Room repairBytesInPlace needs past the document: what a cut adds at the end (null, closers). */
export const IN_PLACE_ROOM = MAX_DEPTH + 64;

/**
 * repairBytes() for a document held in `buffer[0, length)`, writing the repaired JSON over it: no second
 * buffer, and no fresh memory to touch (the cost that dominates a large document once the pass is fast).
 * `buffer` needs IN_PLACE_ROOM bytes past `length`. Returns a view of `buffer`, or null — and then the
 * buffer's contents are lost, so the caller must be able to read the document again (a file).
 */
export function repairBytesInPlace(buffer: Uint8Array, length: number, steps?: string[]): Uint8Array | null {
  if (buffer.length < length + IN_PLACE_ROOM) return null;
  return repairInto(buffer, { length, out: buffer, steps });
}

function repairInto(input: Uint8Array, how: { length: number; out: Uint8Array | null; steps: string[] | undefined }): Uint8Array | null {
  try {
    const document = how.length === input.length ? input : input.subarray(0, how.length);
    if (mentionsThinkTag(document)) return null;
    if (!primed && how.length >= PRIME_FROM) prime();
    const pass = new BytePass(input, how.length, how.out);
    const out = pass.run();
    if (how.steps !== undefined) for (const step of pass.steps) how.steps.push(step);
    return out;
  } catch {
    // GIVE_UP, or anything unforeseen (an allocation too large): recover() has the answer
    return null;
  }
}

/** Inputs from this size first get the pass primed (below it the priming costs more than it saves). */
const PRIME_FROM = 1 << 20;
let primed = false;

/**
 * Small documents that take the pass through its rarer paths (zero and negative numbers, escapes, wide
 * characters, cuts in each state). Run once before the first large input, so that the optimizing compiler
 * sees every path before it compiles: a path first met in optimized code throws that code away, and on a
 * cold start the recompilation competes with the pass itself. Measured: a 10 MB document, fresh process.
 */
const PRIMERS = [
  `[{'a': 0, "b": -1.50, 'c': [true, false, null, 12, -0.5,], 'd': {'e': '', 'f': "x'y", 'g': 'say "hi" \\' \\n \\u00e9 (a) é',},}, [], {}]`,
  "{'a': [1, -",
  "{'a': 'cut, ",
  "{'a': 1, 'b",
  "{'a': 1, 'b' ",
  "[{'a': tr",
  "[1.",
  "{'a': ",
  "{'a': 'x',}",
];

function prime(): void {
  primed = true;
  const encoder = new TextEncoder();
  for (let round = 0; round < 2; round++) for (const text of PRIMERS) repairBytes(encoder.encode(text), []);
}
