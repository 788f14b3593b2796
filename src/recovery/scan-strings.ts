/**
 * Quoted strings: straight, smart, doubled, triple-quoted and double-encoded, with unescaped inner quotes told
 * apart from closing quotes by bounded lookahead (what follows, key shapes, brackets opened inside the string).
 */
import * as chars from "./chars.js";
import { Cursor } from "./cursor.js";
import { RepairError } from "./repair-error.js";

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
const { endQuoteMatcher, isCloser, isDigit, isDoubleQuoteLike, isIdentifierChar, isQuote, isSpace } = chars;

const LOOKAHEAD = 128;
/** What follows a cut key's opening quote: a word, then its colon (its closing quote lost), then no line break. */
const CUT_KEY = /^[\w $-]+:[^\n]*$/;
/** A colon that is text (`12:30`, `https://`), seen from the character before it. */
const TEXT_COLON = /^(?:\d:\d|.:\/\/)/;
/** The end of a text: one straight double quote among commas and closers, at least one of them after it. */
const STRAY_QUOTE_AT_END = /^[\s,]*"\s*[,}\])][\s,}\])]*$/;
const ESCAPES: Record<string, string> = { '"': '"', "\\": "\\", "/": "/", b: "\b", f: "\f", n: "\n", r: "\r", t: "\t" };

/** ASCII characters a quoted string can pass over without any bookkeeping (1) or must look at (0). */
const PLAIN = new Uint8Array(128).fill(1);
for (let c = 0; c < 0x20; c++) PLAIN[c] = 0;
for (const ch of "\"'\\,:{}[]()+") PLAIN[ch.charCodeAt(0)] = 0;

/** ASCII characters the fast path of a straight-quoted string passes over (1); it stops at the others (0). */
const QUICK = new Uint8Array(128).fill(1);
for (let c = 0; c < 0x20; c++) QUICK[c] = 0;
for (const ch of "\"'\\{[(") QUICK[ch.charCodeAt(0)] = 0;

/** QUICK for the byte copy of an ASCII text, one table per opening quote (the other quote is plain). */
const QUICK_DOUBLE = new Uint8Array(256).fill(1);
for (let c = 0; c < 0x80; c++) QUICK_DOUBLE[c] = QUICK[c]!;
QUICK_DOUBLE[Code.SingleQuote] = 1;
const QUICK_SINGLE = QUICK_DOUBLE.slice();
QUICK_SINGLE[Code.DoubleQuote] = 1;
QUICK_SINGLE[Code.SingleQuote] = 0;

/** Recently seen keys, reused (already internalized) rather than sliced again: keyed by length and end chars. */
const KEY_CACHE: string[] = new Array<string>(512).fill("");
const KEY_CACHE_MAX = 32;

/** Does the text end inside the escape starting at `from` (`\`, `\u`, `\uD8`), or right there? */
function cutInEscape(text: string, from: number): boolean {
  const rest = text.length - from;
  if (rest === 0) return true;
  if (rest > 5 || text.charCodeAt(from) !== Code.Backslash) return false;
  if (rest >= 2 && text.charCodeAt(from + 1) !== 0x75) return false;
  for (let k = from + 2; k < text.length; k++) if (!chars.isHexDigit(text.charCodeAt(k))) return false;
  return true;
}

// `"abc/* note */+"def"`: JavaScript concatenation whose first string lost its closing quote before a block
// comment. The text kept before the `+`, without that comment.
function withoutTrailingComment(kept: string): string {
  if (!kept.endsWith("*/")) return kept;
  const open = kept.lastIndexOf("/*", kept.length - 3);
  return open < 0 ? kept : kept.slice(0, open).trimEnd();
}

/** Does the text end within 8 hex digits from `from` (the digits of a `\x` or `\U` escape)? */
function cutInHexEscape(text: string, from: number): boolean {
  if (text.length - from > 8) return false;
  for (let k = from; k < text.length; k++) if (!chars.isHexDigit(text.charCodeAt(k))) return false;
  return true;
}

/** Does `text` hold `key` at `from`? (`key.length` characters compared.) */
function sameText(key: string, text: string, from: number): boolean {
  for (let k = 0; k < key.length; k++) if (key.charCodeAt(k) !== text.charCodeAt(from + k)) return false;
  return true;
}

/** Removes the common indentation and the blank first/last lines of a block (code fences, triple quotes). */
export function dedent(block: string): string {
  const lines = block
    .replace(/^[ \t]*\r?\n/, "")
    .trimEnd()
    .split("\n");
  let indent = Number.POSITIVE_INFINITY;
  for (const line of lines) {
    if (line.trim() === "") continue;
    const width = line.length - line.trimStart().length;
    if (width < indent) indent = width;
  }
  // lines holding only spaces are blank lines: their spaces are editor residue, not content
  if (!Number.isFinite(indent) || indent === 0) return lines.map((line) => (line.trim() === "" ? "" : line)).join("\n");
  return lines.map((line) => (line.trim() === "" ? "" : line.slice(Math.min(indent, line.length - line.trimStart().length)))).join("\n");
}

/**
 * What is open inside a string being read when a quote is met: brackets and quotes the string's own text
 * opened. One object per scanner is refilled at each verdict, so the hot loop allocates nothing.
 */
interface InsideString {
  braces: number;
  brackets: number;
  parens: number;
  innerQuotes: number;
}
const NOTHING_OPEN: Readonly<InsideString> = Object.freeze({ braces: 0, brackets: 0, parens: 0, innerQuotes: 0 });

export class StringScanner extends Cursor {
  private readonly inside: InsideString = { braces: 0, brackets: 0, parens: 0, innerQuotes: 0 };
  /**
   * A quoted string. A quote that could close it is checked by bounded lookahead (what follows, and for
   * keys whether a colon does); when it cannot be the end it is kept as an unescaped inner quote.
   */
  parseString(context: number): string {
    let out = this.parseQuoted(context);
    // `"a" + "b"`: JavaScript string concatenation, looped rather than recursive
    for (;;) {
      const save = this.i;
      const next = this.text.charCodeAt(save);
      // the usual case, a delimiter right after the quote, needs no look further
      if (next === Code.Comma || next === Code.Colon || next === Code.CloseBrace || next === Code.CloseBracket) return out;
      this.skipSpace();
      if (this.text.charCodeAt(this.i) !== Code.Plus) {
        this.i = save;
        return out;
      }
      this.i++;
      this.skipSpace();
      if (!isQuote(this.text.charCodeAt(this.i))) return out;
      this.step("concatenation");
      out += this.parseQuoted(context);
    }
  }

  protected parseQuoted(context: number): string {
    const t = this.text;
    const n = this.n;
    let escapedQuotes = false;
    if (t.charCodeAt(this.i) === Code.Backslash) {
      escapedQuotes = true;
      this.i++;
      this.step("double_encoded");
    }
    const open = t.charCodeAt(this.i);
    if (
      (open === Code.DoubleQuote || open === Code.SingleQuote) &&
      t.charCodeAt(this.i + 1) === open &&
      t.charCodeAt(this.i + 2) === open
    ) {
      const triple = t.slice(this.i, this.i + 3);
      const close = t.indexOf(triple, this.i + 3);
      if (close >= 0) {
        const body = t.slice(this.i + 3, close);
        this.i = close + 3;
        this.step("triple_quotes");
        return dedent(body);
      }
    }
    const isEnd = endQuoteMatcher(open);
    if (open !== Code.DoubleQuote) this.step(open === Code.SingleQuote ? "single_quotes" : "smart_quotes");
    const openAt = this.i;
    const straight = open === Code.DoubleQuote || open === Code.SingleQuote;
    let i = this.i + 1;
    let doubled = false;
    if (
      isEnd(t.charCodeAt(i)) &&
      i + 1 < n &&
      (isIdentifierChar(t.charCodeAt(i + 1)) || (context === Context.Key && this.keyAfterDoubledQuote(i + 1, isEnd)))
    ) {
      doubled = true;
      i++;
      this.step("doubled_quotes");
    }
    if (straight && !doubled && !escapedQuotes) {
      // fast path: a body without escapes, control characters or brackets, up to its first closing quote, is
      // taken as one slice; anything else (or a quote that may be an inner one) goes through the careful loop
      // below from the start of the body, so both paths give the same result
      let j = i;
      let c = 0;
      const bytes = this.bytes;
      if (bytes !== null) {
        const quick = open === Code.DoubleQuote ? QUICK_DOUBLE : QUICK_SINGLE;
        while (j < n && quick[bytes[j]!] === 1) j++;
        c = j < n ? bytes[j]! : 0;
      } else {
        const other = open === Code.DoubleQuote ? Code.SingleQuote : Code.DoubleQuote;
        while (j < n) {
          c = t.charCodeAt(j);
          if (c < 0x80 && QUICK[c] === 0 && c !== other) break;
          j++;
        }
      }
      if (j < n && c === open && this.endQuoteVerdict(j, context, NOTHING_OPEN) === 1) {
        this.i = j + 1;
        return context === Context.Key ? this.key(i, j) : t.slice(i, j);
      }
    }
    let out = "";
    let segment = i;
    let firstDelimAt = -1;
    let firstDelimLength = 0;
    let colonAt = -1;
    let colonLength = 0;
    let rawNewline = false;
    let innerQuotes = 0;
    let lastInnerAt = -1;
    let lastCommaAt = -1;
    let lastCommaLength = 0;
    let braces = 0;
    let brackets = 0;
    let parens = 0;
    for (;;) {
      if (i >= n) {
        this.step("truncated");
        const prev = this.prevNonSpace(n - 1, openAt);
        if (
          firstDelimAt >= 0 &&
          (prev === Code.Comma ||
            prev === Code.Colon ||
            prev === Code.CloseBrace ||
            prev === Code.CloseBracket ||
            prev === Code.OpenBrace ||
            prev === Code.OpenBracket ||
            prev === Code.Plus)
        ) {
          if (lastInnerAt > firstDelimAt && segment <= firstDelimAt && (prev === Code.CloseBrace || prev === Code.CloseBracket)) {
            const end = this.quotedAfterDelimiter(firstDelimAt, lastInnerAt, isEnd);
            if (end === lastInnerAt) {
              this.i = end + 1;
              return out + t.slice(segment, end);
            }
            if (end >= 0) return this.cut(out + t.slice(segment, end), end, out.length + end - segment);
          }
          return this.cut(out + t.slice(segment, firstDelimAt), firstDelimAt, firstDelimLength);
        }
        if (context === Context.ObjectValue && lastCommaAt >= 0 && braces + brackets + parens === 0 && this.cutKeyAfter(lastCommaAt)) {
          return this.cut(out + t.slice(segment, lastCommaAt), lastCommaAt, lastCommaLength);
        }
        // `{"a": 1, "b: 2`: a cut key that lost its closing quote before its colon (not one of a time or a URL)
        if (context === Context.Key && colonAt >= 0 && !TEXT_COLON.test(t.slice(colonAt - 1, colonAt + 3))) {
          return this.cut(out + t.slice(segment, colonAt), colonAt, colonLength);
        }
        out += t.slice(segment, n);
        this.i = n;
        if (context === Context.Key) return out.trim();
        // a cut string keeps what was written up to the cut, spaces included (the incremental parser shows the
        // same text); an escaped line break or tab written last is the layout before a closing quote that
        // never came (`"val\n`)
        const escapedLast = segment >= n && t.charCodeAt(n - 2) === Code.Backslash && /[nrt]/.test(t[n - 1]!);
        return escapedLast ? out.trimEnd() : out;
      }
      let c = t.charCodeAt(i);
      // fast run over characters that need no attention
      if (straight) {
        while (c < 0x80 ? PLAIN[c] === 1 : true) {
          c = t.charCodeAt(++i);
          if (i >= n) break;
        }
        if (i >= n) continue;
      }
      if (escapedQuotes && c === Code.Backslash && t.charCodeAt(i + 1) === open) {
        // in a double-encoded document \" is the quote itself
        out += t.slice(segment, i);
        i++;
        segment = i;
        continue;
      }
      if (isEnd(c)) {
        if (doubled) {
          if (isEnd(t.charCodeAt(i + 1))) {
            out += t.slice(segment, i);
            this.i = i + 2;
            return out;
          }
        }
        const inside = this.inside;
        inside.braces = braces;
        inside.brackets = brackets;
        inside.parens = parens;
        inside.innerQuotes = innerQuotes;
        let verdict = this.endQuoteVerdict(i, context, inside);
        // `"…"name": …`: a colon after this quote makes the last inner quote a key's opening; with a schema,
        // that only holds when the key is one it expects
        if (verdict === 1 && context === Context.ObjectValue && lastInnerAt >= 0 && !this.isExpectedKey(lastInnerAt + 1, i)) {
          if (t.charCodeAt(this.skipBlanks(i + 1, LOOKAHEAD)) === Code.Colon) verdict = 0;
        }
        if (verdict === 1) {
          out += t.slice(segment, i);
          this.i = i + 1;
          if (escapedQuotes && out.endsWith("\\")) out = out.slice(0, -1);
          // a multi-line string's last line break before the closing quote is layout, not content
          if (rawNewline && /\n[ \t\r]*$/.test(out)) return out.replace(/\s+$/, "");
          return out;
        }
        const prev = this.prevNonSpace(i - 1, openAt);
        const depth = braces + brackets + parens;
        if (context !== Context.Key && depth === 0 && prev === Code.Comma && lastCommaAt >= 0 && this.quotedAheadAt(i, context)) {
          return this.cut(out + t.slice(segment, lastCommaAt), lastCommaAt, lastCommaLength);
        }
        if (
          context !== Context.Key &&
          depth === 0 &&
          (prev === Code.Colon || prev === Code.Plus) &&
          firstDelimAt >= 0 &&
          (prev === Code.Plus || t.charCodeAt(firstDelimAt) === Code.Comma)
        ) {
          const kept = this.cut(out + t.slice(segment, firstDelimAt), firstDelimAt, firstDelimLength);
          if (prev !== Code.Plus) return kept;
          const bare = withoutTrailingComment(kept);
          if (bare !== kept) this.step("comment");
          return bare;
        }
        if (context === Context.Key && colonAt >= 0) return this.cut(out + t.slice(segment, colonAt), colonAt, colonLength);
        this.step("inner_quote");
        innerQuotes++;
        lastInnerAt = i;
        i++;
        continue;
      }
      if (c === Code.Backslash) {
        out += t.slice(segment, i);
        const d = t.charCodeAt(i + 1);
        if (i + 1 >= n) {
          out += "\\";
          i++;
          segment = i;
          continue;
        }
        const ch = t[i + 1]!;
        const mapped = ESCAPES[ch];
        if (mapped !== undefined) {
          out += mapped;
          i += 2;
        } else if (d === 0x75) {
          let k = i + 2;
          while (k < i + 6 && k < n && /[0-9a-fA-F]/.test(t[k]!)) k++;
          if (k === i + 6) {
            const unit = Number.parseInt(t.slice(i + 2, k), 16);
            if (unit >= 0xd800 && unit <= 0xdbff && cutInEscape(t, k)) {
              // the first half of a surrogate pair whose second half was cut off: no character at all
              this.step("truncated");
              i = n;
            } else {
              out += String.fromCharCode(unit);
              i = k;
            }
          } else if (k >= n) {
            this.step("truncated");
            i = n;
          } else if (context === Context.Root) {
            // a bare string with a broken escape holds no structure worth saving
            throw new RepairError("invalid unicode escape", i);
          } else {
            // `\uZZZZ` inside a container is no escape: keep what the model wrote, as text, and the reply
            this.step("invalid_escape");
            out += "\\u";
            i += 2;
          }
        } else if ((d === 0x78 || d === 0x55) && cutInHexEscape(t, i + 2)) {
          // a reply cut off inside or right after a hex escape JSON does not have (`\x1`, `\U0001F6`): what
          // it meant cannot be told, so like a cut `\u12` it is left out
          this.step("truncated");
          i = n;
        } else {
          this.step("invalid_escape");
          // \' and escaped non-ASCII or line breaks lose the backslash; others (regex-like \s, \() keep it
          out += ch === "'" || d > 0x7f || d === Code.Newline ? ch : `\\${ch}`;
          i += 2;
        }
        segment = i;
        continue;
      }
      if (c < 0x20) {
        if (c !== Code.Newline && c !== Code.Return && c !== Code.Tab && c !== 0x08 && c !== 0x0c) {
          throw new RepairError("control character in string", i);
        }
        this.step("control_character");
        if (c === Code.Newline) rawNewline = true;
        if (c === Code.Newline && firstDelimAt < 0) {
          firstDelimAt = i;
          firstDelimLength = out.length + (i - segment);
        }
        i++;
        continue;
      }
      if (c <= Code.CloseBrace) {
        if (c === Code.Comma) {
          lastCommaAt = i;
          lastCommaLength = out.length + (i - segment);
          if (firstDelimAt < 0 && (context !== Context.ObjectValue || this.commaEndsValue(i))) {
            firstDelimAt = i;
            firstDelimLength = out.length + (i - segment);
          }
          if (context === Context.Key && firstDelimAt < 0) {
            firstDelimAt = i;
            firstDelimLength = out.length + (i - segment);
          }
        } else if (c === Code.Colon) {
          if (context === Context.Key && colonAt < 0) {
            colonAt = i;
            colonLength = out.length + (i - segment);
            if (firstDelimAt < 0) {
              firstDelimAt = i;
              firstDelimLength = out.length + (i - segment);
            }
          }
        } else if (c === Code.OpenBrace) braces++;
        else if (c === Code.OpenBracket) brackets++;
        else if (c === Code.OpenParen) parens++;
        else if (c === Code.CloseBrace || c === Code.CloseBracket) {
          const inner = c === Code.CloseBrace ? braces : brackets;
          if (inner > 0) {
            if (c === Code.CloseBrace) braces--;
            else brackets--;
          } else if (firstDelimAt < 0) {
            firstDelimAt = i;
            firstDelimLength = out.length + (i - segment);
          }
        } else if (c === Code.CloseParen) {
          if (parens > 0) parens--;
        } else if (c === Code.Plus && firstDelimAt < 0) {
          firstDelimAt = i;
          firstDelimLength = out.length + (i - segment);
        }
      }
      i++;
    }
  }

  /**
   * `{"" name": 1}`: a key whose opening quote was doubled, then spaces. Bounded lookahead from just after
   * the `""`: spaces, then words on the same line up to a quote that a colon follows.
   */
  private keyAfterDoubledQuote(from: number, isEnd: (c: number) => boolean): boolean {
    const t = this.text;
    const c = t.charCodeAt(from);
    if (c !== Code.Space && c !== Code.Tab) return false;
    const limit = Math.min(this.n, from + LOOKAHEAD);
    let words = false;
    for (let j = from + 1; j < limit; j++) {
      const d = t.charCodeAt(j);
      if (isEnd(d)) return words && t.charCodeAt(this.skipBlanks(j + 1, 16)) === Code.Colon;
      if (d === Code.Newline || d === Code.Colon || d === Code.Comma || isQuote(d) || isCloser(d)) return false;
      if (!isSpace(d)) words = true;
    }
    return false;
  }

  /**
   * A string that lost its closing quote runs to a closer at the end of the text, and quotes follow its first
   * delimiter (`"value} "tail" more}`): that delimiter was text. Quotes in pairs are a quotation inside the
   * string, which runs on to the last closer; an unpaired last quote was the closing one, and the words
   * after it are junk (`"value} "tail}`). Where the string ends, or -1 when the quotes tell nothing.
   */
  private quotedAfterDelimiter(delimiter: number, lastQuote: number, isEnd: (c: number) => boolean): number {
    const t = this.text;
    let quotes = 0;
    for (let j = delimiter; j <= lastQuote; j++) if (isEnd(t.charCodeAt(j))) quotes++;
    if (quotes % 2 === 1) return lastQuote;
    let end = this.n;
    while (end > lastQuote && isSpace(t.charCodeAt(end - 1))) end--;
    return end - 1 > lastQuote ? end - 1 : -1;
  }

  /** text[from, to) as an object key: the cached copy when it is one seen before (no slice, no re-hashing). */
  protected key(from: number, to: number): string {
    const length = to - from;
    if (length === 0) return "";
    if (length > KEY_CACHE_MAX) return this.text.slice(from, to);
    const t = this.text;
    // two-way: the slot of the hash and its neighbour (keys like name/note share ends and length)
    const slot = ((length * 31 + t.charCodeAt(from) * 7 + t.charCodeAt(from + (length >> 1)) * 3 + t.charCodeAt(to - 1)) & 255) << 1;
    const first = KEY_CACHE[slot]!;
    if (first.length === length && sameText(first, t, from)) return first;
    const second = KEY_CACHE[slot + 1]!;
    if (second.length === length && sameText(second, t, from)) return second;
    // a property name read back from an object is the internalized string
    const fresh = Object.keys({ [t.slice(from, to)]: 0 })[0]!;
    KEY_CACHE[slot + 1] = first;
    KEY_CACHE[slot] = fresh;
    return fresh;
  }

  /** Ends a string at an earlier delimiter `at` (its closing quote was missing), keeping `length` chars. */
  protected cut(whole: string, at: number, length: number): string {
    this.i = at;
    this.step("missing_quote");
    return whole.slice(0, length).trimEnd();
  }

  /** After a comma inside an object value: does a new member (or the end of the object) follow? */
  protected commaEndsValue(comma: number): boolean {
    const k = this.skipBlanks(comma + 1, LOOKAHEAD);
    const c = this.text.charCodeAt(k);
    return k >= this.n || c === Code.CloseBrace || this.looksLikeKeyAt(k);
  }

  /**
   * A quote followed by a closer while the string itself opened a bracket: real JSON structure continues
   * after that closer (end, another closer, or a comma then a value or key), so the quote did end the string.
   */
  protected structureAfterCloser(closer: number): boolean {
    const t = this.text;
    const j = this.skipBlanks(closer + 1, LOOKAHEAD);
    if (j >= this.n) return true;
    const c = t.charCodeAt(j);
    if (isCloser(c)) return this.open[this.closerIndex(c)]! > 0;
    if (c !== Code.Comma) return false;
    const m = this.skipBlanks(j + 1, LOOKAHEAD);
    if (m >= this.n) return true;
    const d = t.charCodeAt(m);
    if (isQuote(d) || d === Code.OpenBrace || d === Code.OpenBracket || isDigit(d) || d === Code.Minus || isCloser(d)) return true;
    if (/^(?:true|false|null)\b/.test(t.slice(m, m + 6))) return true;
    return this.looksLikeKeyAt(m, false);
  }

  /** Does a complete quoted string start at `quote`, followed by what its context expects? */
  protected quotedAheadAt(quote: number, context: number): boolean {
    const t = this.text;
    const isEnd = endQuoteMatcher(t.charCodeAt(quote));
    const limit = Math.min(this.n, quote + LOOKAHEAD);
    let j = quote + 1;
    j = this.closingQuote(j, limit, isEnd, false);
    if (j >= limit) return j >= this.n;
    const k = this.skipBlanks(j + 1, 16);
    const c = t.charCodeAt(k);
    if (context === Context.ObjectValue) return c === Code.Colon && this.isExpectedKey(quote + 1, j);
    return k >= this.n || c === Code.Comma || isCloser(c) || c === Code.Colon;
  }

  /**
   * `{"a": "x, `b: 2`: after the comma at `comma`, a key opened by a quote of any kind that runs to the end of
   * the text, its closing quote lost before its colon. The cut string ended at that comma. Bounded lookahead.
   */
  private cutKeyAfter(comma: number): boolean {
    const k = this.skipBlanks(comma + 1, 16);
    return isQuote(this.text.charCodeAt(k)) && this.n - k < LOOKAHEAD && CUT_KEY.test(this.text.slice(k + 1));
  }

  /**
   * `"hello"\n",}`: from `from` to the end, only commas and closers around one straight double quote. That
   * quote opens nothing: it is stray (bounded: only near the end of the text).
   */
  protected strayQuoteAtEnd(from: number): boolean {
    return this.n - from < LOOKAHEAD && STRAY_QUOTE_AT_END.test(this.text.slice(from));
  }

  /** With a schema, is text[from, to) one of its property names? Without one, any key is plausible. */
  protected isExpectedKey(from: number, to: number): boolean {
    const keys = this.expectedKeys;
    return keys === null || keys.size === 0 || keys.has(this.text.slice(from, to));
  }

  /** 1: the quote at `q` closes the string; 0: it is an unescaped quote inside it. */
  protected endQuoteVerdict(q: number, context: number, inside: Readonly<InsideString>): 0 | 1 {
    const { braces, brackets, parens, innerQuotes } = inside;
    const nested = braces + brackets + parens > 0;
    const t = this.text;
    const n = this.n;
    const quote = t.charCodeAt(q);
    const after = t.charCodeAt(q + 1);
    // well-formed shapes decided at once: a key's colon, the last member or element closing its container
    if (context === Context.Key && after === Code.Colon) return 1;
    if (!nested && innerQuotes === 0) {
      if (after === Code.CloseBrace && context === Context.ObjectValue) return 1;
      if ((after === Code.CloseBracket || after === Code.Comma) && context === Context.ArrayValue) return 1;
    }
    // `"value","key": …`: the usual next member, seen without the general checks below (which agree)
    if (
      after === Code.Comma &&
      context === Context.ObjectValue &&
      !nested &&
      t.charCodeAt(q + 2) === Code.DoubleQuote &&
      n - q > 2 * LOOKAHEAD &&
      this.looksLikeKeyAt(q + 2)
    ) {
      return 1;
    }
    // "72"" at the end: a literal quote followed by the real closing quote
    if (t.charCodeAt(q + 1) === quote) {
      const k = this.skipBlanks(q + 2, LOOKAHEAD);
      const d = t.charCodeAt(k);
      if (k >= n || d === Code.Comma || isCloser(d) || d === Code.Colon) return 0;
    }
    const k = this.skipBlanks(q + 1, LOOKAHEAD);
    if (k >= n) return 1;
    const c = t.charCodeAt(k);
    if (n - k < LOOKAHEAD && /^[\s,}\])]*$/.test(t.slice(k))) return 1;
    // `"hello"\n",}`: a lone quote among the closers that end the text is stray; this quote closed the string
    if (context === Context.ObjectValue && innerQuotes % 2 === 0 && this.strayQuoteAtEnd(k)) return 1;
    if (context === Context.ArrayValue && innerQuotes % 2 === 1 && isDoubleQuoteLike(quote) && (c === Code.Comma || isQuote(c))) {
      // an odd number of inner quotes so far: this one closes the quotation inside the element
      return 0;
    }
    switch (c) {
      case Code.Colon:
        // inside a JSON text in the string, the quote closing one of its keys: that key opened with a quote
        return context === Context.ObjectValue && nested && innerQuotes > 0 ? 0 : 1;
      case Code.Comma:
        if (context !== Context.ObjectValue) return 1;
        if (nested) {
          const m = this.skipBlanks(k + 1, LOOKAHEAD);
          return isQuote(t.charCodeAt(m)) && this.looksLikeKeyAt(m, false) ? 1 : 0;
        }
        if (this.commaEndsValue(k)) return 1;
        // `"value3", ["x"] }`: a list where the next key belongs, no quotation open inside the string
        return innerQuotes % 2 === 0 && t.charCodeAt(this.skipBlanks(k + 1, LOOKAHEAD)) === Code.OpenBracket ? 1 : 0;
      case Code.CloseBrace:
        return braces > 0 && !this.structureAfterCloser(k) ? 0 : 1;
      case Code.CloseBracket:
        return brackets > 0 && !this.structureAfterCloser(k) ? 0 : 1;
      case Code.CloseParen:
        return parens > 0 && (this.open[2] === 0 || !this.structureAfterCloser(k)) ? 0 : 1;
      case Code.Plus:
      case Code.OpenBrace:
      case Code.OpenBracket:
      case Code.Backtick:
        return 1;
      case Code.Slash: {
        const d = t.charCodeAt(k + 1);
        return d === Code.Slash || d === Code.Star ? 1 : 0;
      }
      case Code.Hash:
        // `"value" # note`: a comment after a space starts after the closing quote
        return k > q + 1 && isSpace(t.charCodeAt(k + 1)) ? 1 : 0;
    }
    if (isQuote(c)) {
      if (context !== Context.ObjectValue) return 1;
      return !nested && this.looksLikeKeyAt(k, false) ? 1 : 0;
    }
    if (isDigit(c)) return context === Context.ObjectValue ? 0 : 1;
    if (context === Context.Key) return k > q + 1 ? 1 : 0;
    if (context === Context.ObjectValue && isIdentifierChar(c) && k > q + 1) {
      if (this.looksLikeKeyAt(k)) return 1;
      // `"… "quoted" more…`: a quotation opened inside the string closes here, and the string goes on
      if (innerQuotes % 2 === 1 && isDoubleQuoteLike(quote)) return 0;
      // `"data" junk }`: a closer comes before any further quote, so the string ended here
      const limit = Math.min(n, k + LOOKAHEAD);
      for (let m = k; m < limit; m++) {
        const d = t.charCodeAt(m);
        if (d === quote || d === Code.Newline) return 0;
        if (d === Code.CloseBrace || d === Code.CloseBracket) return 1;
      }
      return limit >= n ? 1 : 0;
    }
    if (context === Context.ArrayValue && k > q + 1) {
      // ["a" b", "c"]: with no quotation opened inside the element, a quote then a word ends it
      if (t.charCodeAt(q + 1) === Code.Newline) return 1;
      if (innerQuotes % 2 === 0 && isIdentifierChar(c) && isDoubleQuoteLike(quote)) return 1;
    }
    return 0;
  }
}
