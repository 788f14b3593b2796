/**
 * Byte-level pieces of the byte fast pass (byte-repair.ts): the byte classes of string bodies, UTF-8
 * validation, canonical escapes and numbers as JSON.stringify prints them, and the reply-level checks
 * (think blocks) that send a reply to recover() before any scanning.
 */

/** File-local byte codes (a const enum is inlined only inside its own file). */
const enum B {
  DoubleQuote = 0x22,
  SingleQuote = 0x27,
  OpenParen = 0x28,
  CloseParen = 0x29,
  Minus = 0x2d,
  Zero = 0x30,
  Nine = 0x39,
  Less = 0x3c,
  OpenBracket = 0x5b,
  Backslash = 0x5c,
  OpenBrace = 0x7b,
}

/** Thrown (and caught by repairBytes) when the pass meets something it does not fully understand. */
export const GIVE_UP: unique symbol = Symbol("give up");

export function giveUp(): never {
  throw GIVE_UP;
}

/**
 * String body bytes that need a look (1) rather than a plain copy (0): control characters, quotes, the
 * backslash, the brackets and parentheses the repair scanner counts inside strings, and non-ASCII bytes.
 */
export const BODY = new Uint8Array(256);
for (let c = 0; c < 0x20; c++) BODY[c] = 1;
for (let c = 0x80; c < 0x100; c++) BODY[c] = 1;
for (const c of [B.DoubleQuote, B.SingleQuote, B.Backslash, B.OpenBrace, B.OpenBracket, B.OpenParen, B.CloseParen]) BODY[c] = 1;

/** JSON whitespace: the only blanks the pass accepts between tokens (the scanner also skips Unicode spaces, comments). */
export const BLANK = new Uint8Array(256);
for (const c of [0x20, 0x0a, 0x0d, 0x09]) BLANK[c] = 1;

const HEX = new Int8Array(256).fill(-1);
for (let c = 0; c < 10; c++) HEX[0x30 + c] = c;
for (let c = 0; c < 6; c++) {
  HEX[0x41 + c] = 10 + c;
  HEX[0x61 + c] = 10 + c;
}

/** The value of four hex digits at `at`, or -1. */
export function hex4(input: Uint8Array, at: number): number {
  const a = HEX[input[at]!]!;
  const b = HEX[input[at + 1]!]!;
  const c = HEX[input[at + 2]!]!;
  const d = HEX[input[at + 3]!]!;
  if (at + 4 > input.length || (a | b | c | d) < 0) return -1;
  return (a << 12) | (b << 8) | (c << 4) | d;
}

/**
 * The length of the well-formed UTF-8 sequence whose lead byte is at `at` (2 to 4), or 0 when it is not one
 * (a stray continuation, an overlong form, an encoded surrogate, past U+10FFFF, or cut by the end): text
 * decoding would put U+FFFD there, which the pass leaves to recover().
 */
export function utf8Length(input: Uint8Array, at: number): number {
  const n = input.length;
  const lead = input[at]!;
  if (lead < 0xc2 || lead > 0xf4) return 0;
  const b1 = at + 1 < n ? input[at + 1]! : 0;
  if (lead < 0xe0) return (b1 & 0xc0) === 0x80 ? 2 : 0;
  const low = lead === 0xe0 ? 0xa0 : lead === 0xf0 ? 0x90 : 0x80;
  const high = lead === 0xed ? 0x9f : lead === 0xf4 ? 0x8f : 0xbf;
  if (b1 < low || b1 > high) return 0;
  const b2 = at + 2 < n ? input[at + 2]! : 0;
  if ((b2 & 0xc0) !== 0x80) return 0;
  if (lead < 0xf0) return 3;
  const b3 = at + 3 < n ? input[at + 3]! : 0;
  return (b3 & 0xc0) === 0x80 ? 4 : 0;
}

/** The code point of the UTF-8 sequence ending just before `end` (already known well-formed), or -1. */
export function codePointBefore(input: Uint8Array, end: number): number {
  let start = end - 1;
  while (start > 0 && (input[start]! & 0xc0) === 0x80 && end - start < 4) start--;
  const lead = input[start]!;
  const length = end - start;
  if (length === 2) return ((lead & 0x1f) << 6) | (input[start + 1]! & 0x3f);
  if (length === 3) return ((lead & 0x0f) << 12) | ((input[start + 1]! & 0x3f) << 6) | (input[start + 2]! & 0x3f);
  if (length === 4) return 0x10000; // no space above the BMP
  return -1;
}

/** The short escapes JSON.stringify writes for control characters (0: it writes \u00XX). */
const SHORT_ESCAPE = new Uint8Array(0x20);
SHORT_ESCAPE[0x08] = 0x62; // b
SHORT_ESCAPE[0x09] = 0x74; // t
SHORT_ESCAPE[0x0a] = 0x6e; // n
SHORT_ESCAPE[0x0c] = 0x66; // f
SHORT_ESCAPE[0x0d] = 0x72; // r

const LOWER_HEX = [0x30, 0x31, 0x32, 0x33, 0x34, 0x35, 0x36, 0x37, 0x38, 0x39, 0x61, 0x62, 0x63, 0x64, 0x65, 0x66];

/**
 * Writes the UTF-16 code unit `unit` (not a surrogate) at `o` as JSON.stringify prints it inside a string;
 * returns the new end.
 */
export function writeUnit(out: Uint8Array, o: number, unit: number): number {
  if (unit < 0x20) {
    out[o++] = B.Backslash;
    const short = SHORT_ESCAPE[unit]!;
    if (short !== 0) {
      out[o++] = short;
      return o;
    }
    out[o++] = 0x75; // u
    out[o++] = B.Zero;
    out[o++] = B.Zero;
    out[o++] = LOWER_HEX[unit >> 4]!;
    out[o++] = LOWER_HEX[unit & 15]!;
    return o;
  }
  if (unit === B.DoubleQuote || unit === B.Backslash) {
    out[o++] = B.Backslash;
    out[o++] = unit;
    return o;
  }
  if (unit < 0x80) {
    out[o++] = unit;
    return o;
  }
  if (unit < 0x800) {
    out[o++] = 0xc0 | (unit >> 6);
    out[o++] = 0x80 | (unit & 0x3f);
    return o;
  }
  out[o++] = 0xe0 | (unit >> 12);
  out[o++] = 0x80 | ((unit >> 6) & 0x3f);
  out[o++] = 0x80 | (unit & 0x3f);
  return o;
}

/** Significant digits a number may carry and still print digit for digit (every 15-digit decimal round-trips). */
const MAX_DIGITS = 15;
/** Zeros after `0.` before JSON.stringify switches to exponent form (0.000001 prints so, 0.0000001 as 1e-7). */
const MAX_LEADING_ZEROS = 5;

/**
 * The number `input[from, to)` — `-?(0|[1-9][0-9]*)(\.[0-9]*)?`, already matched by the caller, `dot` where
 * its point is or -1 — as JSON.stringify prints the double it reads as: the end of the digits to copy
 * (trailing fraction zeros and a bare point dropped), or -1 for zero (printed `0`, also for `-0`). Gives up
 * where the printed form could differ from the digits: more than 15 significant digits, or small enough
 * for exponent form.
 */
export function canonicalEnd(input: Uint8Array, from: number, to: number, dot: number): number {
  const intStart = input[from] === B.Minus ? from + 1 : from;
  const intEnd = dot < 0 ? to : dot;
  let end = to;
  if (dot >= 0) {
    while (end > dot + 1 && input[end - 1] === B.Zero) end--;
    if (end === dot + 1) end = dot;
  }
  let digits: number;
  if (intEnd - intStart !== 1 || input[intStart] !== B.Zero) digits = end - intStart - (end > intEnd ? 1 : 0);
  else if (end === intEnd) return -1;
  else {
    let zeros = 0;
    while (input[intEnd + 1 + zeros] === B.Zero) zeros++;
    if (zeros > MAX_LEADING_ZEROS) giveUp();
    digits = end - intEnd - 1 - zeros;
  }
  if (digits > MAX_DIGITS) giveUp();
  return end;
}

const TAGS = ["think>", "thinking>", "reasoning>", "scratchpad>"];

/** Does the reply hold `<think>`, `<reasoning>`…, in any case (recover() strips such blocks first)? */
export function mentionsThinkTag(input: Uint8Array): boolean {
  for (let at = input.indexOf(B.Less); at >= 0; at = input.indexOf(B.Less, at + 1)) {
    for (const tag of TAGS) {
      let k = 0;
      while (k < tag.length && (input[at + 1 + k]! | 0x20) === tag.charCodeAt(k)) k++;
      if (k === tag.length) return true;
    }
  }
  return false;
}

/** Is the byte a digit? */
export function isDigitByte(c: number): boolean {
  return c >= B.Zero && c <= B.Nine;
}

/** Is `out[from, to)` an array index (a key JSON.stringify would print before the others)? Conservative. */
export function isIndexKey(out: Uint8Array, from: number, to: number): boolean {
  const length = to - from;
  if (length === 0 || length > 10 || (length > 1 && out[from] === B.Zero)) return false;
  for (let k = from; k < to; k++) if (!isDigitByte(out[k]!)) return false;
  return true;
}
