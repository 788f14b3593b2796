/**
 * The scanner's cursor over model text: position, repair-step log, open-bracket counts, skipping of
 * whitespace, comments and stray fences, and the bounded lookahead the repair heuristics rely on.
 */
import * as chars from "./chars.js";

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

// local bindings: hot-path calls must not go through module export accessors
const { endQuoteMatcher, isIdentifierChar, isQuote, isSpace } = chars;

/** Texts from this length get a byte copy for the hot loops (below it the copy costs more than it saves). */
const BYTES_FROM = 1 << 16;
/** Node's Buffer (absent elsewhere: then there is no byte copy). */
const NodeBuffer = (globalThis as { Buffer?: typeof Buffer }).Buffer;

/** How far any lookahead may look: keeps the scanner linear whatever the input. */
const LOOKAHEAD = 128;

export class Cursor {
  i = 0;

  readonly n: number;

  protected readonly seen: Record<string, true> = Object.create(null);

  /** Number of open frames per closer kind: `}`, `]`, `)`. Lets a stray closer be matched in O(1). */
  protected readonly open = [0, 0, 0];

  constructor(
    readonly text: string,
    readonly expectedKeys: ReadonlySet<string> | null = null,
  ) {
    this.n = text.length;
    this.bytes =
      text.length >= BYTES_FROM && NodeBuffer !== undefined && NodeBuffer.byteLength(text, "utf8") === text.length
        ? NodeBuffer.from(text, "latin1")
        : null;
  }

  /**
   * The text as bytes when it is long and all ASCII: hot loops over string bodies read a typed array, which
   * is several times cheaper per character than charCodeAt. Null otherwise (those loops use charCodeAt).
   */
  readonly bytes: Uint8Array | null;

  protected step(name: string): void {
    if (this.seen[name] === undefined) this.seen[name] = true;
  }

  /** Labels of the repairs applied so far, in first-use order. */
  get steps(): string[] {
    return Object.keys(this.seen);
  }

  /** Skips whitespace, comments and stray code-fence markers between tokens. */
  skipSpace(fences = true): void {
    // nothing to skip before most tokens: decided here, small enough to be inlined at every call
    const c = this.text.charCodeAt(this.i);
    if (c > Code.Space && c < 0xa0 && c !== Code.Hash && c !== Code.Slash && c !== Code.Backtick) return;
    this.skipSpaceFrom(fences);
  }

  private skipSpaceFrom(fences: boolean): void {
    const t = this.text;
    const n = this.n;
    let i = this.i;
    for (;;) {
      const c = t.charCodeAt(i);
      if (isSpace(c)) {
        i++;
        continue;
      }
      if (c === Code.Slash) {
        const d = t.charCodeAt(i + 1);
        if (d === Code.Slash) {
          const end = t.indexOf("\n", i + 2);
          i = end < 0 ? n : end + 1;
          this.step("comment");
          continue;
        }
        if (d === Code.Star) {
          const end = t.indexOf("*/", i + 2);
          i = end < 0 ? n : end + 2;
          this.step("comment");
          continue;
        }
      }
      if (c === Code.Hash) {
        i = this.hashCommentEnd(i + 1);
        this.step("comment");
        continue;
      }
      if (fences && c === Code.Backtick && t.charCodeAt(i + 1) === Code.Backtick && t.charCodeAt(i + 2) === Code.Backtick) {
        i += 3;
        while (t.charCodeAt(i) === Code.Backtick) i++;
        while (i < n && isIdentifierChar(t.charCodeAt(i))) i++;
        this.step("fence");
        continue;
      }
      break;
    }
    this.i = i;
  }

  /**
   * Where a `#` comment ends: after its line break, or at a bracket on its line that
   * closes a container open around it (`{"a": 1 # note }, "b": 2}`); brackets the comment opens stay in it.
   */
  private hashCommentEnd(from: number): number {
    const t = this.text;
    const n = this.n;
    let depth = 0;
    for (let j = from; j < n; j++) {
      const c = t.charCodeAt(j);
      if (c === Code.Newline) return j + 1;
      if (c === Code.OpenBrace || c === Code.OpenBracket) depth++;
      else if (c === Code.CloseBrace || c === Code.CloseBracket) {
        if (depth > 0) depth--;
        else if (this.open[this.closerIndex(c)]! > 0) return j;
      }
    }
    return n;
  }

  /** Bounded skip of whitespace and comments, for lookahead. */
  protected skipBlanks(from: number, limit = Number.POSITIVE_INFINITY): number {
    const t = this.text;
    let i = from;
    const end = Math.min(this.n, from + limit);
    while (i < end) {
      const c = t.charCodeAt(i);
      if (isSpace(c)) i++;
      else if (c === Code.Slash && t.charCodeAt(i + 1) === Code.Star) {
        const close = t.indexOf("*/", i + 2);
        if (close < 0 || close >= end) return end;
        i = close + 2;
      } else if (c === Code.Slash && t.charCodeAt(i + 1) === Code.Slash) {
        const close = t.indexOf("\n", i + 2);
        if (close < 0 || close >= end) return end;
        i = close + 1;
      } else break;
    }
    return i;
  }

  /** The last character before `before` (down to `floor`) that is not whitespace or a block comment. */
  protected prevNonSpace(before: number, floor: number): number {
    const t = this.text;
    let j = before;
    for (;;) {
      while (j > floor && isSpace(t.charCodeAt(j))) j--;
      if (j > floor + 1 && t.charCodeAt(j) === Code.Slash && t.charCodeAt(j - 1) === Code.Star) {
        let open = j - 2;
        const stop = Math.max(floor, j - LOOKAHEAD);
        while (open > stop && !(t.charCodeAt(open) === Code.Slash && t.charCodeAt(open + 1) === Code.Star)) open--;
        if (open > stop) {
          j = open - 1;
          continue;
        }
      }
      return j > floor ? t.charCodeAt(j) : Number.NaN;
    }
  }

  /** Bounded scan for the quote closing a string (backslash escapes skipped); `limit` when not found. */
  protected closingQuote(from: number, limit: number, isEnd: (c: number) => boolean, stopAtNewline: boolean): number {
    const t = this.text;
    let j = from;
    while (j < limit) {
      const c = t.charCodeAt(j);
      if (c === Code.Backslash) j += 2;
      else if (isEnd(c) || (stopAtNewline && c === Code.Newline)) return j;
      else j++;
    }
    return Math.min(j, limit);
  }

  /** Bounded lookahead: does a key (quoted or bare) followed by a colon start at `from`? */
  looksLikeKeyAt(from: number, allowJunk = true): boolean {
    const t = this.text;
    if (t.charCodeAt(from) === Code.DoubleQuote) {
      // fast path: `"key":` with a plain key, decided without the general scan below (which agrees)
      const limit = Math.min(this.n, from + LOOKAHEAD);
      let j = from + 1;
      let d = 0;
      while (j < limit) {
        d = t.charCodeAt(j);
        if (d === Code.DoubleQuote || d === Code.Backslash || d === Code.Newline) break;
        j++;
      }
      if (j < limit && d === Code.DoubleQuote && t.charCodeAt(j + 1) === Code.Colon) {
        const keys = this.expectedKeys;
        return keys === null || keys.size === 0 || keys.has(t.slice(from + 1, j));
      }
    }
    let i = this.skipBlanks(from, LOOKAHEAD);
    const c = t.charCodeAt(i);
    const limit = Math.min(this.n, i + LOOKAHEAD);
    let key: string;
    if (isQuote(c)) {
      const isEnd = endQuoteMatcher(c);
      let j = i + 1;
      j = this.closingQuote(j, limit, isEnd, true);
      if (j >= this.n) return /^[\w $-]*$/.test(t.slice(i + 1, j));
      if (j >= limit || !isEnd(t.charCodeAt(j))) return false;
      key = this.expectedKeys === null ? "" : t.slice(i + 1, j);
      i = j + 1;
    } else if (isIdentifierChar(c)) {
      let j = i;
      while (j < limit && (isIdentifierChar(t.charCodeAt(j)) || t.charCodeAt(j) === Code.Dot || t.charCodeAt(j) === Code.Minus)) j++;
      key = t.slice(i, j);
      i = j;
      if (isQuote(t.charCodeAt(i))) i++;
      else if (allowJunk) {
        const k = this.skipBlanks(i, 16);
        if (k > i && isQuote(t.charCodeAt(k))) return this.looksLikeKeyAt(k, false);
      }
    } else return false;
    i = this.skipBlanks(i, 16);
    if (t.charCodeAt(i) !== Code.Colon) return false;
    return this.expectedKeys === null || this.expectedKeys.size === 0 || this.expectedKeys.has(key) || !isQuote(c);
  }

  /** `"key" "value"`: a quoted key whose colon was forgotten, followed by a quoted value (bounded lookahead). */
  protected keyWithoutColonAt(from: number): boolean {
    const t = this.text;
    const i = this.skipBlanks(from, LOOKAHEAD);
    if (!isQuote(t.charCodeAt(i))) return false;
    const isEnd = endQuoteMatcher(t.charCodeAt(i));
    const limit = Math.min(this.n, i + LOOKAHEAD);
    let j = i + 1;
    j = this.closingQuote(j, limit, isEnd, true);
    if (j >= limit || !isEnd(t.charCodeAt(j))) return false;
    const k = this.skipBlanks(j + 1, 16);
    return k > j + 1 && isQuote(t.charCodeAt(k));
  }

  protected isEllipsis(): boolean {
    const t = this.text;
    const i = this.i;
    return t.charCodeAt(i) === Code.Dot && t.charCodeAt(i + 1) === Code.Dot && t.charCodeAt(i + 2) === Code.Dot;
  }

  /** Index into `open` for a closer: `}` 0, `]` 1, `)` 2. */
  protected closerIndex(c: number): number {
    return c === Code.CloseBrace ? 0 : c === Code.CloseBracket ? 1 : 2;
  }
}
