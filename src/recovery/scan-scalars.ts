/**
 * Scalars outside quotes: numbers (and what only looks like one), literals in every spelling models use,
 * function-call wrappers like ObjectId("…"), regex literals, code-fence strings and plain unquoted text.
 */
import * as chars from "./chars.js";
import { dedent, StringScanner } from "./scan-strings.js";

/** File-local copy of the character codes in chars.ts: esbuild inlines a const enum only inside its own file. */
const enum Code {
  Tab = 0x09,
  Newline = 0x0a,
  Return = 0x0d,
  Space = 0x20,
  DoubleQuote = 0x22,
  Hash = 0x23,
  SingleQuote = 0x27,
  OpenParen = 0x28,
  CloseParen = 0x29,
  Star = 0x2a,
  Plus = 0x2b,
  Comma = 0x2c,
  Minus = 0x2d,
  Dot = 0x2e,
  Slash = 0x2f,
  Zero = 0x30,
  Nine = 0x39,
  Colon = 0x3a,
  Semicolon = 0x3b,
  OpenBracket = 0x5b,
  Backslash = 0x5c,
  CloseBracket = 0x5d,
  Underscore = 0x5f,
  Backtick = 0x60,
  OpenBrace = 0x7b,
  CloseBrace = 0x7d,
}

/** Where a scalar sits: decides which characters end unquoted text and which quotes are real closers. */
const enum Context {
  Root = 0,
  Key = 1,
  ObjectValue = 2,
  ArrayValue = 3,
}

// local bindings: hot-path calls must not go through module export accessors
const { isCloser, isDigit, isIdentifierChar, isQuote, isSpace } = chars;

/** Returned when there is no value at the current position (a registry symbol: shared across files). */
export const NONE: unique symbol = Symbol.for("ballast.recovery.none") as never;
/** Returned by parseWord for `name(`: the caller opens a call frame. */
export const CALL: unique symbol = Symbol.for("ballast.recovery.call") as never;
const LITERALS: Record<string, unknown> = { true: true, false: false, null: null, none: null };

const LOOKAHEAD = 128;

/** 10^0 … 10^15, all exact doubles. */
const POWERS_OF_TEN = [1, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15];

export class ScalarScanner extends StringScanner {
  /** The last search for a fence (see nextFence): where it started and where it found one (-1: none after). */
  private fenceSearchFrom = Number.POSITIVE_INFINITY;
  private fenceFound = -1;

  /**
   * Bounded scan of the rest of a line for a quoted member (`"key":`). Returns -1 when one is found, else the
   * position the scan reached (no member before it), so repeated calls over one value stay linear.
   */
  protected memberLaterOnLine(from: number): number {
    const t = this.text;
    const limit = Math.min(this.n, from + LOOKAHEAD);
    for (let j = from; j < limit; j++) {
      const c = t.charCodeAt(j);
      if (c === Code.Newline) return j;
      if (c === Code.DoubleQuote) return this.looksLikeKeyAt(j, false) ? -1 : j;
    }
    return limit;
  }

  protected parseScalar(context: number): unknown {
    const t = this.text;
    const c = t.charCodeAt(this.i);
    if (c === Code.Backtick && t.startsWith("```", this.i)) return this.parseFenced();
    if (isQuote(c)) {
      if (t.charCodeAt(this.i + 1) === Code.Backtick && context !== Context.Key) {
        const fenced = this.fencedJsonInString();
        if (fenced !== NONE) return fenced;
      }
      return this.parseString(context);
    }
    if (c === Code.Backslash && t.charCodeAt(this.i + 1) === Code.DoubleQuote) return this.parseString(context);
    if (isDigit(c) || c === Code.Minus || c === Code.Dot) return this.parseNumber(context);
    if (c === Code.Slash) {
      const regex = this.parseRegex();
      return regex === NONE && context !== Context.Root ? this.parseUnquoted(context) : regex;
    }
    if (isIdentifierChar(c)) return this.parseWord(context);
    // prose-like text that starts with punctuation (`**bold** note`) where an object member's value belongs
    if (context === Context.ObjectValue && c > Code.Space && !isCloser(c) && c !== Code.Comma && c !== Code.Colon) {
      if (c !== Code.OpenBrace && c !== Code.OpenBracket && c !== Code.Hash) return this.parseUnquoted(context);
    }
    return NONE;
  }

  /** A code fence used as a string value: "code": ```ts\n...\n``` (the info line is dropped). */
  protected parseFenced(): string {
    const t = this.text;
    let j = this.i;
    while (t.charCodeAt(j) === Code.Backtick) j++;
    const ticks = t.slice(this.i, j);
    const lineEnd = t.indexOf("\n", j);
    const close = t.indexOf(ticks, j);
    let bodyStart = j;
    if (lineEnd >= 0 && (close < 0 || lineEnd < close) && /^[\w .+#-]*$/.test(t.slice(j, lineEnd))) bodyStart = lineEnd + 1;
    const end = close < 0 ? this.n : close;
    this.i = close < 0 ? this.n : close + ticks.length;
    this.step("fenced_string");
    return dedent(t.slice(bodyStart, end));
  }

  /**
   * `"answer": "```json {"a": 1}```"`: a model that put a fenced JSON block where a value belongs, inside quotes
   * it did not escape. The block is the value when it is a whole JSON object or array closed by its fence and
   * the quote; otherwise NONE and the text is read as a string. With a schema, the schema decides whether it is
   * data: the value is then the string as written, fence included, which recover() decodes where structure is
   * wanted (a string field keeps it).
   */
  protected fencedJsonInString(): unknown {
    const t = this.text;
    const n = this.n;
    if (t.charCodeAt(this.i) !== Code.DoubleQuote || !t.startsWith("```", this.i + 1)) return NONE;
    let j = this.i + 4;
    while (j < n && isIdentifierChar(t.charCodeAt(j))) j++;
    while (j < n && isSpace(t.charCodeAt(j))) j++;
    const head = t.charCodeAt(j);
    if (head !== Code.OpenBrace && head !== Code.OpenBracket) return NONE;
    const close = this.nextFence(j);
    if (close < 0) return NONE;
    let end = close;
    while (end > j && isSpace(t.charCodeAt(end - 1))) end--;
    if (t.charCodeAt(end - 1) !== (head === Code.OpenBrace ? Code.CloseBrace : Code.CloseBracket)) return NONE;
    let q = close + 3;
    while (q < n && isSpace(t.charCodeAt(q))) q++;
    if (t.charCodeAt(q) !== Code.DoubleQuote) return NONE;
    const after = this.skipBlanks(q + 1, LOOKAHEAD);
    if (after < n && !isCloser(t.charCodeAt(after)) && t.charCodeAt(after) !== Code.Comma) return NONE;
    let value: unknown;
    try {
      value = JSON.parse(t.slice(j, end));
    } catch {
      return NONE;
    }
    const open = this.i;
    this.i = q + 1;
    if (this.expectedKeys !== null) {
      const text = t.slice(open + 1, q).trimEnd();
      if (text.includes('"')) this.step("inner_quote");
      return text;
    }
    this.step("fence");
    this.step("double_encoded");
    return value;
  }

  /** Where the next ``` at or after `from` starts, or -1; remembers its last answer so that repeated searches stay linear. */
  private nextFence(from: number): number {
    // no fence lies between the last search's start and what it found: a later start before that reuses it
    const known = from >= this.fenceSearchFrom && (this.fenceFound < 0 || from <= this.fenceFound);
    if (!known) {
      this.fenceSearchFrom = from;
      this.fenceFound = this.text.indexOf("```", from);
    }
    return this.fenceFound;
  }

  /** A JavaScript regex literal `/.../` is kept as its source text. */
  protected parseRegex(): unknown {
    const t = this.text;
    let j = this.i + 1;
    while (j < this.n) {
      const c = t.charCodeAt(j);
      if (c === Code.Backslash) j += 2;
      else if (c === Code.Slash || c === Code.Newline) break;
      else j++;
    }
    if (t.charCodeAt(j) !== Code.Slash) return NONE;
    // flags, then the value must end: `/post/[id]` is a path, not a regex followed by junk
    let end = j + 1;
    while (end < this.n && isIdentifierChar(t.charCodeAt(end))) end++;
    const next = this.skipBlanks(end, LOOKAHEAD);
    if (next < this.n && t.charCodeAt(next) !== Code.Comma && !isCloser(t.charCodeAt(next))) return NONE;
    const source = t.slice(this.i, j + 1);
    this.i = j + 1;
    this.step("regex");
    return source;
  }

  /** Keywords (true/True/TRUE/None/undefined/NaN…), function calls like ObjectId("x"), or unquoted text. */
  protected parseWord(context: number): unknown {
    const t = this.text;
    const start = this.i;
    let j = start;
    while (j < this.n && (isIdentifierChar(t.charCodeAt(j)) || t.charCodeAt(j) === Code.Dot)) j++;
    let k = j;
    while (k < this.n && (t.charCodeAt(k) === Code.Space || t.charCodeAt(k) === Code.Tab)) k++;
    if (t.charCodeAt(k) !== Code.OpenParen && context !== Context.Key && j - start <= 5 && this.wordEnds(k)) {
      // the usual spellings, compared in place without slicing the word
      const length = j - start;
      const c = t.charCodeAt(start);
      if (
        length === 4 &&
        c === 0x74 &&
        t.charCodeAt(start + 1) === 0x72 &&
        t.charCodeAt(start + 2) === 0x75 &&
        t.charCodeAt(start + 3) === 0x65
      ) {
        this.i = j;
        return true;
      }
      if (
        length === 4 &&
        c === 0x6e &&
        t.charCodeAt(start + 1) === 0x75 &&
        t.charCodeAt(start + 2) === 0x6c &&
        t.charCodeAt(start + 3) === 0x6c
      ) {
        this.i = j;
        return null;
      }
      if (
        length === 5 &&
        c === 0x66 &&
        t.charCodeAt(start + 1) === 0x61 &&
        t.charCodeAt(start + 2) === 0x6c &&
        t.charCodeAt(start + 3) === 0x73 &&
        t.charCodeAt(start + 4) === 0x65
      ) {
        this.i = j;
        return false;
      }
    }
    const word = t.slice(start, j);
    if (t.charCodeAt(k) === Code.OpenParen && /^[A-Za-z_$][\w$.]*$/.test(word)) {
      this.i = k + 1;
      this.step("function_call");
      return CALL;
    }
    if (this.wordEnds(k) && context !== Context.Key) {
      const lower = word.toLowerCase();
      if (lower in LITERALS) {
        if (word !== lower || lower === "none") this.step("python_literal");
        this.i = j;
        return LITERALS[lower];
      }
      if (word === "undefined" || word === "NaN" || word === "Infinity") {
        this.step("js_literal");
        this.i = j;
        return null;
      }
      if (j >= this.n && word.length > 0) {
        for (const literal of ["true", "false", "null"]) {
          if (literal.startsWith(word)) {
            this.step("truncated");
            this.i = j;
            return LITERALS[literal];
          }
        }
      }
    }
    return this.parseUnquoted(context);
  }

  /** Does a word followed (after spaces) by the character at `k` end there, so that it may be a keyword? */
  protected wordEnds(k: number): boolean {
    const end = this.text.charCodeAt(k);
    return (
      k >= this.n ||
      end === Code.Comma ||
      isCloser(end) ||
      end === Code.Colon ||
      end === Code.Newline ||
      end === Code.Return ||
      isQuote(end) ||
      end === Code.Slash ||
      end === Code.Hash ||
      end === Code.Semicolon
    );
  }

  /** Unquoted text up to the next delimiter of its context, trailing spaces trimmed. */
  protected parseUnquoted(context: number): unknown {
    const t = this.text;
    const n = this.n;
    const start = this.i;
    const parens = this.open[2]! > 0;
    let j = start;
    let depth = 0;
    /** Object values may run over commas and lines that are not followed by a member: prose as a value. */
    const prose = context === Context.ObjectValue;
    let noKeyBefore = -1;
    /** Several words so far: a quote inside is quoted text rather than a lost closing quote. */
    let spaced = false;
    /** Where the last search for a `)` stopped without finding one. */
    let unclosedBefore = 0;
    while (j < n) {
      const c = t.charCodeAt(j);
      if (c === Code.Space) spaced = true;
      if (c === Code.Comma || c === Code.Newline || c === Code.Return) {
        if (!prose) break;
        const k = this.skipBlanks(j + 1, LOOKAHEAD);
        const d = t.charCodeAt(k);
        if (k >= n || isCloser(d) || d === Code.Comma || this.looksLikeKeyAt(k)) break;
        if (c === Code.Comma) {
          // `sic tamet, quick brown fox. "next": 1`: a member later on the line ends the value at the comma
          if (j >= noKeyBefore) noKeyBefore = this.memberLaterOnLine(j + 1);
          if (noKeyBefore < 0) break;
        }
        j++;
        continue;
      }
      if (context !== Context.Root) {
        if (c === Code.OpenParen && j >= unclosedBefore) {
          // `f(a: number, b: string)`: commas and colons inside parentheses closed on the same line are text
          const close = this.closeParenOnLine(j);
          if (close > 0) {
            j = close + 1;
            continue;
          }
          // no `(` before where that search stopped can be closed either: each character is looked at once
          unclosedBefore = -close;
        }
        if (c === Code.OpenBrace || c === Code.OpenBracket) depth++;
        else if ((c === Code.CloseBrace || c === Code.CloseBracket) && depth > 0) {
          depth--;
          j++;
          continue;
        }
        if (c === Code.CloseBrace || c === Code.CloseBracket) break;
        if (c === Code.DoubleQuote) {
          // in prose, a quote that neither starts a member nor closes a lost opening quote is text
          if (!prose || !spaced || this.looksLikeKeyAt(j)) break;
          const k = this.skipBlanks(j + 1, 16);
          const d = t.charCodeAt(k);
          if (k >= n || d === Code.Comma || isCloser(d) || d === Code.Newline) break;
        }
        if (c === Code.CloseParen && parens) break;
        if ((c === Code.Slash || c === Code.Hash) && j > start && isSpace(t.charCodeAt(j - 1))) {
          const d = t.charCodeAt(j + 1);
          if (c === Code.Hash || d === Code.Slash || d === Code.Star) break;
        }
      } else if (c === Code.DoubleQuote) break;
      j++;
    }
    let end = j;
    while (end > start && isSpace(t.charCodeAt(end - 1))) end--;
    if (end === start) return NONE;
    this.i = j;
    this.step("unquoted_value");
    // a closing quote whose opening quote is missing: {"a":foo","b":1}
    if (t.charCodeAt(j) === Code.DoubleQuote) {
      const k = this.skipBlanks(j + 1, 16);
      const d = t.charCodeAt(k);
      if (k >= n || d === Code.Comma || isCloser(d) || d === Code.Newline) {
        this.i = j + 1;
        this.step("missing_quote");
      }
    }
    return t.slice(start, end);
  }

  /**
   * The `)` matching the `(` at `from` on the same line, within bounded lookahead; when there is none, minus
   * the position where the search stopped.
   */
  private closeParenOnLine(from: number): number {
    const t = this.text;
    const limit = Math.min(this.n, from + 2 * LOOKAHEAD);
    let depth = 0;
    for (let k = from; k < limit; k++) {
      const c = t.charCodeAt(k);
      if (c === Code.Newline || c === Code.Return || c === Code.DoubleQuote) return -k;
      if (c === Code.OpenParen) depth++;
      else if (c === Code.CloseParen && --depth === 0) return k;
    }
    return -limit;
  }

  /**
   * `2,000.50`: groups of exactly three digits after commas, ending in a decimal point and a digit (without
   * the decimals, `[1,000]` stays two numbers). Returns where the groups end, or -1.
   */
  private thousandsEnd(from: number): number {
    const t = this.text;
    let j = from;
    while (t.charCodeAt(j) === Code.Comma && isDigit(t.charCodeAt(j + 1)) && isDigit(t.charCodeAt(j + 2)) && isDigit(t.charCodeAt(j + 3))) {
      j += 4;
    }
    return j > from && t.charCodeAt(j) === Code.Dot && isDigit(t.charCodeAt(j + 1)) ? j : -1;
  }

  /**
   * `"price": 105,12}`: an object value written with a decimal comma. The integer at [start, comma) is
   * followed by one group of digits that is no key and ends the value (the end, a closer, or a comma not
   * followed by more digits). Returns where the group ends, or -1. The caller keeps the text as written:
   * whether the comma is a decimal or a thousands separator cannot be told.
   */
  private decimalCommaEnd(start: number, comma: number): number {
    const t = this.text;
    const first = t.charCodeAt(start) === Code.Minus ? start + 1 : start;
    for (let k = first; k < comma; k++) if (!isDigit(t.charCodeAt(k))) return -1;
    const end = this.digits(comma + 1);
    const k = this.skipBlanks(end, LOOKAHEAD);
    const c = t.charCodeAt(k);
    if (k >= this.n || isCloser(c)) return end;
    return c === Code.Comma && !isDigit(t.charCodeAt(this.skipBlanks(k + 1, LOOKAHEAD))) ? end : -1;
  }

  /** Digits from `from`, allowing `_` between digits (Python/JS numeric separators). */
  protected digits(from: number): number {
    const t = this.text;
    let j = from;
    while (j < this.n) {
      const c = t.charCodeAt(j);
      if (c >= 0x30 && c <= 0x39) j++;
      else if (c === Code.Underscore && isDigit(t.charCodeAt(j - 1)) && isDigit(t.charCodeAt(j + 1))) j++;
      else break;
    }
    return j;
  }

  protected parseNumber(context: number): unknown {
    const t = this.text;
    const n = this.n;
    const start = this.i;
    let j = start;
    if (t.charCodeAt(j) === Code.Minus) j++;
    const intStart = j;
    j = this.digits(j);
    const grouped = j - intStart >= 1 && j - intStart <= 3 && t.charCodeAt(j) === Code.Comma ? this.thousandsEnd(j) : -1;
    if (grouped > 0) j = grouped;
    if (t.charCodeAt(j) === Code.Dot) j = this.digits(j + 1);
    const e = t.charCodeAt(j);
    if (e === 0x65 || e === 0x45) {
      j++;
      const sign = t.charCodeAt(j);
      if (sign === Code.Plus || sign === Code.Minus) j++;
      j = this.digits(j);
    }
    const next = t.charCodeAt(j);
    const ends =
      j >= n ||
      isSpace(next) ||
      next === Code.Comma ||
      isCloser(next) ||
      next === Code.Colon ||
      isQuote(next) ||
      next === Code.OpenBrace ||
      next === Code.OpenBracket ||
      next === Code.Semicolon ||
      (next === Code.Slash && (t.charCodeAt(j + 1) === Code.Slash || t.charCodeAt(j + 1) === Code.Star));
    if (!ends) {
      if (j === start + 1 && t.charCodeAt(start) === Code.Minus && isIdentifierChar(next) && !isDigit(next)) {
        const word = t.slice(j, j + 8);
        if (word.startsWith("Infinity")) {
          this.i = j + 8;
          this.step("js_literal");
          return null;
        }
      }
      return this.parseUnquoted(context);
    }
    if (next === Code.Comma && context === Context.ObjectValue && isDigit(t.charCodeAt(j + 1))) {
      const end = this.decimalCommaEnd(start, j);
      if (end > 0) {
        this.i = end;
        this.step("decimal_comma");
        return t.slice(start, end);
      }
    }
    // plain integers (the common case) are computed in place, without a temporary string
    const negative = t.charCodeAt(start) === Code.Minus;
    const first = negative ? start + 1 : start;
    // and so are plain decimals of at most 15 digits: digits / 10^fraction is exact division of two exactly
    // representable numbers, hence correctly rounded, the same double Number() gives
    if (
      j - first <= 15 &&
      j > first &&
      next !== Code.DoubleQuote &&
      (t.charCodeAt(first) !== Code.Zero || !isDigit(t.charCodeAt(first + 1)))
    ) {
      let value = 0;
      let dot = -1;
      let k = first;
      for (; k < j; k++) {
        const d = t.charCodeAt(k);
        if (d >= 0x30 && d <= 0x39) value = value * 10 + (d - 0x30);
        else if (d === Code.Dot && dot < 0 && k > first && k + 1 < j) dot = k;
        else break;
      }
      if (k === j) {
        this.i = j;
        if (dot >= 0) value /= POWERS_OF_TEN[j - dot - 1]!;
        return negative ? -value : value;
      }
    }
    let raw = t.slice(start, j);
    this.i = j;
    if (grouped > 0) {
      raw = raw.replaceAll(",", "");
      this.step("thousands_separator");
    }
    if (raw.includes("_")) {
      raw = raw.replaceAll("_", "");
      this.step("invalid_number");
    }
    const lead = raw.charCodeAt(0) === Code.Minus ? 1 : 0;
    if (raw.charCodeAt(lead) === Code.Zero && isDigit(raw.charCodeAt(lead + 1))) {
      this.step("invalid_number");
      return raw;
    }
    // a stray closing quote after a number: {"n": 12345", ...}
    if (next === Code.DoubleQuote) {
      const k = this.skipBlanks(j + 1, 16);
      const d = t.charCodeAt(k);
      if (k >= n || d === Code.Comma || isCloser(d)) {
        this.i = j + 1;
        this.step("missing_quote");
      }
    }
    let clean = raw;
    const last = raw.charCodeAt(raw.length - 1);
    if (!isDigit(last) || raw.charCodeAt(lead) === Code.Dot) {
      if (/[eE][+-]?$/.test(clean)) clean = clean.replace(/[eE][+-]?$/, "");
      if (clean.endsWith(".")) clean = clean.slice(0, -1);
      if (clean.startsWith(".") || clean.startsWith("-.")) clean = clean.replace(".", "0.");
    }
    if (clean === "-" && context === Context.ArrayValue && this.skipBlanks(j, LOOKAHEAD) >= n) {
      // `[1, -` cut right after a sign: no element yet
      this.step("truncated");
      this.i = n;
      return NONE;
    }
    if (clean === "" || clean === "-") {
      this.step(j >= n ? "truncated" : "invalid_number");
      return 0;
    }
    if (clean !== raw) this.step(j >= n ? "truncated" : "invalid_number");
    const value = Number(clean);
    return Number.isNaN(value) ? raw : value;
  }
}
