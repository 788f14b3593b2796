/**
 * The repair scanner: one left-to-right pass over model text that builds the value it meant, fixing syntax
 * on the way. Iterative with an explicit frame stack (no recursion), bounded lookahead only, so linear time.
 */
import * as chars from "./chars.js";
import { RepairError } from "./repair-error.js";
import { setKey } from "./set-key.js";

/** Character codes, inlined by the compiler (a const enum declared in this file). */
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
const { endQuoteMatcher, isCloser, isDigit, isDoubleQuoteLike, isIdentifierChar, isQuote, isSpace, isValueStart } = chars;

const enum Kind {
  Object = 0,
  Array = 1,
  Tuple = 2,
  Call = 3,
}

const enum Mode {
  Value = 0,
  Key = 1,
  After = 2,
}

/** Where a scalar sits: decides which characters end unquoted text and which quotes are real closers. */
const enum Context {
  Root = 0,
  Key = 1,
  ObjectValue = 2,
  ArrayValue = 3,
}

interface Frame {
  kind: Kind;
  object: Record<string, unknown> | null;
  array: unknown[] | null;
  key: string | null;
  lastKey: string | null;
  closer: number;
  commas: number;
  /** Elements of a stray `[...]` met where a key was expected are appended to this array. */
  mergeInto: unknown[] | null;
}

/** Returned by scalar parsers when there is no value at the current position. */
export const NONE: unique symbol = Symbol("none");
const CALL: unique symbol = Symbol("call");

const LOOKAHEAD = 128;
const ESCAPES: Record<string, string> = { '"': '"', "\\": "\\", "/": "/", b: "\b", f: "\f", n: "\n", r: "\r", t: "\t" };
const LITERALS: Record<string, unknown> = { true: true, false: false, null: null, none: null };

function closerIndex(c: number): number {
  return c === Code.CloseBrace ? 0 : c === Code.CloseBracket ? 1 : 2;
}

/** ASCII characters a quoted string can pass over without any bookkeeping (1) or must look at (0). */
const PLAIN = new Uint8Array(128).fill(1);
for (let c = 0; c < 0x20; c++) PLAIN[c] = 0;
for (const ch of "\"'\\,:{}[]()+") PLAIN[ch.charCodeAt(0)] = 0;

/** Removes the common indentation and the blank first/last lines of a block (code fences, triple quotes). */
function dedent(block: string): string {
  const lines = block.replace(/^[ \t]*\r?\n/, "").trimEnd().split("\n");
  let indent = Number.POSITIVE_INFINITY;
  for (const line of lines) {
    if (line.trim() === "") continue;
    const width = line.length - line.trimStart().length;
    if (width < indent) indent = width;
  }
  if (!Number.isFinite(indent) || indent === 0) return lines.join("\n");
  return lines.map((line) => line.slice(Math.min(indent, line.length - line.trimStart().length))).join("\n");
}

export class Scanner {
  i = 0;
  readonly n: number;
  private readonly seen: Record<string, true> = Object.create(null);
  /** Number of open frames per closer kind: `}`, `]`, `)`. Lets a stray closer be matched in O(1). */
  private readonly open = [0, 0, 0];

  constructor(
    readonly text: string,
    readonly expectedKeys: ReadonlySet<string> | null = null,
  ) {
    this.n = text.length;
  }

  private step(name: string): void {
    if (this.seen[name] === undefined) this.seen[name] = true;
  }

  /** Labels of the repairs applied so far, in first-use order. */
  get steps(): string[] {
    return Object.keys(this.seen);
  }

  /** Skips whitespace, comments and stray code-fence markers between tokens. */
  skipSpace(fences = true): void {
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
        const end = t.indexOf("\n", i + 1);
        i = end < 0 ? n : end + 1;
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

  /** Bounded skip of whitespace and comments, for lookahead. */
  private skipBlanks(from: number, limit = Number.POSITIVE_INFINITY): number {
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

  private prevNonSpace(before: number, floor: number): number {
    let j = before;
    while (j > floor && isSpace(this.text.charCodeAt(j))) j--;
    return j > floor ? this.text.charCodeAt(j) : Number.NaN;
  }

  /** Bounded scan for the quote closing a string (backslash escapes skipped); `limit` when not found. */
  private closingQuote(from: number, limit: number, isEnd: (c: number) => boolean, stopAtNewline: boolean): number {
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
  private keyWithoutColonAt(from: number): boolean {
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

  // ---------------------------------------------------------------- document

  /** Parses every top-level value in the text (several are allowed); throws RepairError when there is none. */
  parseDocument(): unknown[] {
    const values: unknown[] = [];
    let lastWasContainer = false;
    for (;;) {
      this.skipSpace();
      if (this.i >= this.n) break;
      const c = this.text.charCodeAt(this.i);
      if (values.length > 0) {
        if (c === Code.Comma || c === Code.Semicolon) {
          this.i++;
          const last = values[values.length - 1];
          if (
            c === Code.Comma &&
            last !== null &&
            typeof last === "object" &&
            !Array.isArray(last) &&
            (this.looksLikeKeyAt(this.i) || this.keyWithoutColonAt(this.i))
          ) {
            // {"a":1}, "b":2}: the object was closed too early
            this.step("bracket_mismatch");
            this.parseTree(last as Record<string, unknown>);
          }
          continue;
        }
        if (isCloser(c)) {
          this.i++;
          this.step("bracket_mismatch");
          continue;
        }
        if (lastWasContainer && !isValueStart(c)) {
          this.step("trailing_text");
          break;
        }
      } else if (isCloser(c)) {
        throw new RepairError("unexpected closing bracket", this.i);
      }
      const before = this.i;
      const value = this.parseTree(null);
      if (value === NONE) {
        if (values.length === 0) throw new RepairError("no JSON value found", before);
        if (this.i === before) this.i++;
        continue;
      }
      values.push(value);
      lastWasContainer = value !== null && typeof value === "object";
      if (values.length > 1) this.step("multiple_values");
    }
    if (values.length === 0) throw new RepairError("no JSON value found", this.i);
    return values;
  }

  // ---------------------------------------------------------------- tree

  private push(stack: Frame[], kind: Kind, closer: number, object: Record<string, unknown> | null): Frame {
    const frame: Frame = {
      kind,
      object: kind === Kind.Object ? (object ?? {}) : null,
      array: kind === Kind.Object ? null : [],
      key: null,
      lastKey: null,
      closer,
      commas: 0,
      mergeInto: null,
    };
    stack.push(frame);
    this.open[closerIndex(closer)]!++;
    return frame;
  }

  private pop(stack: Frame[]): unknown {
    const frame = stack.pop()!;
    this.open[closerIndex(frame.closer)]!--;
    if (frame.kind === Kind.Object) return frame.object;
    const items = frame.array!;
    if (frame.kind === Kind.Call) return items.length > 0 ? items[0] : null;
    if (frame.kind === Kind.Tuple && frame.commas === 0 && items.length === 1) return items[0];
    if (frame.mergeInto !== null) {
      for (const item of items) frame.mergeInto.push(item);
      return NONE;
    }
    return items;
  }

  /** Handles a closer that does not match the top frame; returns whether to consume it. */
  private strayCloser(c: number): boolean {
    this.step("bracket_mismatch");
    return this.open[closerIndex(c)] === 0;
  }

  private isEllipsis(): boolean {
    const t = this.text;
    const i = this.i;
    return t.charCodeAt(i) === Code.Dot && t.charCodeAt(i + 1) === Code.Dot && t.charCodeAt(i + 2) === Code.Dot;
  }

  /**
   * Parses one value (scalar or container tree) iteratively. `resume` continues an object that was closed
   * too early (`{"a":1}, "b":2}`), adding further keys into it.
   */
  parseTree(resume: Record<string, unknown> | null): unknown {
    const stack: Frame[] = [];
    let mode = Mode.Value;
    /** A comma was just consumed: a closer now means a trailing comma. */
    let afterComma = false;
    if (resume !== null) {
      this.push(stack, Kind.Object, Code.CloseBrace, resume);
      mode = Mode.After;
    }
    const t = this.text;
    const n = this.n;
    let value: unknown;
    for (;;) {
      const top = stack.length > 0 ? stack[stack.length - 1]! : null;
      if (mode === Mode.Value) {
        this.skipSpace(top === null || top.kind !== Kind.Object);
        const c = t.charCodeAt(this.i);
        if (top !== null) {
          if (top.kind !== Kind.Object) {
            if (c === Code.Comma) {
              this.i++;
              this.step("trailing_comma");
              continue;
            }
            if (this.i >= n) {
              this.step("truncated");
              value = this.pop(stack);
            } else if (isCloser(c)) {
              if (afterComma) this.step("trailing_comma");
              if (c === top.closer || this.strayCloser(c)) this.i++;
              if (c !== top.closer && top.kind === Kind.Tuple && c !== Code.CloseParen) this.step("bracket_mismatch");
              value = this.pop(stack);
            } else if (this.isEllipsis()) {
              this.i += 3;
              this.step("ellipsis");
              continue;
            } else value = undefined;
          } else if (c === Code.Comma || c === Code.CloseBrace || c === Code.CloseBracket || this.i >= n) {
            this.step(this.i >= n ? "truncated" : "missing_value");
            value = null;
          } else value = undefined;
          if (value !== undefined) {
            if (value === NONE) {
              mode = Mode.After;
              continue;
            }
            // deliver below
          }
        }
        if (value === undefined) {
          afterComma = false;
          if (c === Code.OpenBrace) {
            this.i++;
            this.push(stack, Kind.Object, Code.CloseBrace, null);
            mode = Mode.Key;
            continue;
          }
          if (c === Code.OpenBracket) {
            this.i++;
            this.push(stack, Kind.Array, Code.CloseBracket, null);
            continue;
          }
          if (c === Code.OpenParen) {
            this.i++;
            this.step("python_literal");
            this.push(stack, Kind.Tuple, Code.CloseParen, null);
            continue;
          }
          const context =
            top === null ? Context.Root : top.kind === Kind.Object ? Context.ObjectValue : Context.ArrayValue;
          const scalar = this.parseScalar(context);
          if (scalar === CALL) {
            this.push(stack, Kind.Call, Code.CloseParen, null);
            continue;
          }
          if (scalar === NONE) {
            if (top === null) return NONE;
            this.i++;
            this.step("skipped_character");
            continue;
          }
          value = scalar;
        }
      } else if (mode === Mode.Key) {
        const frame = top!;
        this.skipSpace();
        const c = t.charCodeAt(this.i);
        if (this.i >= n) {
          this.step("truncated");
          value = this.pop(stack);
        } else if (c === Code.CloseBrace) {
          if (afterComma) this.step("trailing_comma");
          this.i++;
          value = this.pop(stack);
        } else if (c === Code.Comma) {
          this.i++;
          this.step("trailing_comma");
          continue;
        } else if (c === Code.CloseBracket || c === Code.CloseParen) {
          if (this.strayCloser(c)) this.i++;
          value = this.pop(stack);
        } else if (this.isEllipsis()) {
          this.i += 3;
          this.step("ellipsis");
          continue;
        } else if (c === Code.Colon) {
          throw new RepairError("missing object key", this.i);
        } else if (c === Code.OpenBrace) {
          const parent = stack.length > 1 ? stack[stack.length - 2]! : null;
          if (parent !== null && parent.kind !== Kind.Object) {
            this.step("missing_closer");
            value = this.pop(stack);
          } else {
            this.i++;
            this.step("skipped_character");
            continue;
          }
        } else if (c === Code.OpenBracket) {
          this.i++;
          this.step("bracket_mismatch");
          const previous = frame.lastKey === null ? undefined : frame.object![frame.lastKey];
          const merged = this.push(stack, Kind.Array, Code.CloseBracket, null);
          merged.mergeInto = Array.isArray(previous) ? previous : [];
          mode = Mode.Value;
          continue;
        } else {
          const quoted = isQuote(c) || (c === Code.Backslash && t.charCodeAt(this.i + 1) === Code.DoubleQuote);
          let key: string;
          if (quoted) key = this.parseString(Context.Key);
          else {
            const start = this.i;
            let j = start;
            while (j < n) {
              const d = t.charCodeAt(j);
              if (d === Code.Colon || d === Code.Comma || isCloser(d) || d === Code.OpenBrace || d === Code.OpenBracket) break;
              if (isQuote(d) || d === Code.Newline || d === Code.Return) break;
              j++;
            }
            key = t.slice(start, j).trim();
            if (key === "") {
              this.i++;
              this.step("skipped_character");
              continue;
            }
            this.i = j;
            this.step("unquoted_key");
            // a stray closing quote of a key that lost its opening quote: {a":1}
            if (isQuote(t.charCodeAt(j)) && t.charCodeAt(this.skipBlanks(j + 1, 16)) === Code.Colon) {
              this.i = j + 1;
              this.step("missing_quote");
            }
          }
          afterComma = false;
          this.skipSpace();
          const d = t.charCodeAt(this.i);
          if (d === Code.Colon) {
            this.i++;
            frame.key = key;
            mode = Mode.Value;
            continue;
          }
          if (!quoted && (this.i >= n || d === Code.CloseBrace || d === Code.Comma || (isQuote(d) && this.looksLikeKeyAt(this.i)))) {
            this.step("junk");
            continue;
          }
          if (this.i >= n) {
            this.step("truncated");
            if (key !== "" && !Object.hasOwn(frame.object!, key)) setKey(frame.object!, key, null);
            value = this.pop(stack);
          } else if (quoted && d === Code.Comma && frame.lastKey === null && Object.keys(frame.object!).length === 0) {
            if (!isQuote(t.charCodeAt(this.skipBlanks(this.i + 1)))) throw new RepairError("object key without value", this.i);
            // {"a", "b"}: a set literal, read as an array
            this.step("set_literal");
            frame.kind = Kind.Array;
            frame.array = [key];
            frame.object = null;
            mode = Mode.After;
            continue;
          } else if (d === Code.CloseBracket) {
            throw new RepairError("object key followed by ']'", this.i);
          } else if (d === Code.CloseBrace) {
            this.step("missing_value");
            setKey(frame.object!, key, null);
            frame.lastKey = key;
            continue;
          } else {
            this.step("missing_colon");
            frame.key = key;
            mode = Mode.Value;
            continue;
          }
        }
      } else {
        // Mode.After: a value was just added to the top frame
        const frame = top!;
        this.skipSpace();
        const c = t.charCodeAt(this.i);
        if (this.i >= n) {
          this.step("truncated");
          value = this.pop(stack);
        } else if (c === Code.Comma) {
          this.i++;
          frame.commas++;
          afterComma = true;
          mode = frame.kind === Kind.Object ? Mode.Key : Mode.Value;
          continue;
        } else if (c === frame.closer) {
          this.i++;
          value = this.pop(stack);
        } else if (isCloser(c)) {
          if (this.strayCloser(c)) {
            this.i++;
            continue;
          }
          value = this.pop(stack);
        } else if (c === Code.Colon && frame.kind !== Kind.Object && typeof frame.array!.at(-1) === "string") {
          // ["key": "value"]: an object whose braces were forgotten
          this.i++;
          this.step("missing_brace");
          const key = frame.array!.pop() as string;
          const object = this.push(stack, Kind.Object, Code.CloseBrace, null);
          object.key = key;
          mode = Mode.Value;
          continue;
        } else if (
          c === Code.OpenBrace &&
          frame.kind === Kind.Object &&
          stack.length > 1 &&
          stack[stack.length - 2]!.kind !== Kind.Object
        ) {
          this.step("missing_closer");
          value = this.pop(stack);
        } else {
          this.step("missing_comma");
          mode = frame.kind === Kind.Object ? Mode.Key : Mode.Value;
          continue;
        }
        if (value === NONE) {
          continue;
        }
      }
      // deliver `value` into the new top frame
      if (stack.length === 0) return value;
      const parent = stack[stack.length - 1]!;
      if (parent.kind === Kind.Object) {
        const key = parent.key ?? "";
        setKey(parent.object!, key, value);
        parent.lastKey = key;
        parent.key = null;
      } else parent.array!.push(value);
      mode = Mode.After;
      value = undefined;
      afterComma = false;
    }
  }

  // ---------------------------------------------------------------- scalars

  private parseScalar(context: Context): unknown {
    const t = this.text;
    const c = t.charCodeAt(this.i);
    if (c === Code.Backtick && t.startsWith("```", this.i)) return this.parseFenced();
    if (isQuote(c)) return this.parseString(context);
    if (c === Code.Backslash && t.charCodeAt(this.i + 1) === Code.DoubleQuote) return this.parseString(context);
    if (isDigit(c) || c === Code.Minus || c === Code.Dot) return this.parseNumber(context);
    if (c === Code.Slash) {
      const regex = this.parseRegex();
      return regex === NONE && context !== Context.Root ? this.parseUnquoted(context) : regex;
    }
    if (isIdentifierChar(c)) return this.parseWord(context);
    return NONE;
  }

  /** A code fence used as a string value: "code": ```ts\n...\n``` (the info line is dropped). */
  private parseFenced(): string {
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

  /** A JavaScript regex literal `/.../` is kept as its source text. */
  private parseRegex(): unknown {
    const t = this.text;
    let j = this.i + 1;
    while (j < this.n) {
      const c = t.charCodeAt(j);
      if (c === Code.Backslash) j += 2;
      else if (c === Code.Slash || c === Code.Newline) break;
      else j++;
    }
    if (t.charCodeAt(j) !== Code.Slash) return NONE;
    const source = t.slice(this.i, j + 1);
    this.i = j + 1;
    this.step("regex");
    return source;
  }

  /** Keywords (true/True/TRUE/None/undefined/NaN…), function calls like ObjectId("x"), or unquoted text. */
  private parseWord(context: Context): unknown {
    const t = this.text;
    const start = this.i;
    let j = start;
    while (j < this.n && (isIdentifierChar(t.charCodeAt(j)) || t.charCodeAt(j) === Code.Dot)) j++;
    const word = t.slice(start, j);
    let k = j;
    while (k < this.n && (t.charCodeAt(k) === Code.Space || t.charCodeAt(k) === Code.Tab)) k++;
    if (t.charCodeAt(k) === Code.OpenParen && /^[A-Za-z_$][\w$.]*$/.test(word)) {
      this.i = k + 1;
      this.step("function_call");
      return CALL;
    }
    const end = t.charCodeAt(k);
    const terminated =
      k >= this.n ||
      end === Code.Comma ||
      isCloser(end) ||
      end === Code.Colon ||
      end === Code.Newline ||
      end === Code.Return ||
      isQuote(end) ||
      end === Code.Slash ||
      end === Code.Hash ||
      end === Code.Semicolon;
    if (terminated && context !== Context.Key) {
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

  /** Unquoted text up to the next delimiter of its context, trailing spaces trimmed. */
  private parseUnquoted(context: Context): unknown {
    const t = this.text;
    const n = this.n;
    const start = this.i;
    const parens = this.open[2]! > 0;
    let j = start;
    let depth = 0;
    while (j < n) {
      const c = t.charCodeAt(j);
      if (c === Code.Comma || c === Code.Newline || c === Code.Return) break;
      if (context !== Context.Root) {
        if (c === Code.OpenBrace || c === Code.OpenBracket) depth++;
        else if ((c === Code.CloseBrace || c === Code.CloseBracket) && depth > 0) {
          depth--;
          j++;
          continue;
        }
        if (c === Code.CloseBrace || c === Code.CloseBracket || c === Code.DoubleQuote) break;
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

  /** Digits from `from`, allowing `_` between digits (Python/JS numeric separators). */
  private digits(from: number): number {
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

  private parseNumber(context: Context): unknown {
    const t = this.text;
    const n = this.n;
    const start = this.i;
    let j = start;
    if (t.charCodeAt(j) === Code.Minus) j++;
    j = this.digits(j);
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
    let raw = t.slice(start, j);
    this.i = j;
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
    if (clean === "" || clean === "-") {
      this.step(j >= n ? "truncated" : "invalid_number");
      return 0;
    }
    if (clean !== raw) this.step(j >= n ? "truncated" : "invalid_number");
    const value = Number(clean);
    return Number.isNaN(value) ? raw : value;
  }

  // ---------------------------------------------------------------- strings

  /**
   * A quoted string. A quote that could close it is checked by bounded lookahead (what follows, and for
   * keys whether a colon does); when it cannot be the end it is kept as an unescaped inner quote.
   */
  parseString(context: Context): string {
    let out = this.parseQuoted(context);
    // `"a" + "b"`: JavaScript string concatenation, looped rather than recursive
    for (;;) {
      const save = this.i;
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

  private parseQuoted(context: Context): string {
    const t = this.text;
    const n = this.n;
    let escapedQuotes = false;
    if (t.charCodeAt(this.i) === Code.Backslash) {
      escapedQuotes = true;
      this.i++;
      this.step("double_encoded");
    }
    const open = t.charCodeAt(this.i);
    if ((open === Code.DoubleQuote || open === Code.SingleQuote) && t.startsWith(open === Code.DoubleQuote ? '"""' : "'''", this.i)) {
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
    if (isEnd(t.charCodeAt(i)) && i + 1 < n && isIdentifierChar(t.charCodeAt(i + 1))) {
      doubled = true;
      i++;
      this.step("doubled_quotes");
    }
    let out = "";
    let segment = i;
    let firstDelimAt = -1;
    let firstDelimLength = 0;
    let colonAt = -1;
    let colonLength = 0;
    let rawNewline = false;
    let innerQuotes = 0;
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
          return this.cut(out + t.slice(segment, firstDelimAt), firstDelimAt, firstDelimLength);
        }
        out += t.slice(segment, n);
        this.i = n;
        return context === Context.Key ? out.trim() : out.trimEnd();
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
        const verdict = this.endQuoteVerdict(i, context, braces + brackets + parens > 0, braces, brackets, parens, innerQuotes);
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
          return this.cut(out + t.slice(segment, firstDelimAt), firstDelimAt, firstDelimLength);
        }
        if (context === Context.Key && colonAt >= 0) return this.cut(out + t.slice(segment, colonAt), colonAt, colonLength);
        this.step("inner_quote");
        innerQuotes++;
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
            out += String.fromCharCode(Number.parseInt(t.slice(i + 2, k), 16));
            i = k;
          } else if (k >= n) {
            this.step("truncated");
            i = n;
          } else throw new RepairError("invalid unicode escape", i);
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

  /** Ends a string at an earlier delimiter `at` (its closing quote was missing), keeping `length` chars. */
  private cut(whole: string, at: number, length: number): string {
    this.i = at;
    this.step("missing_quote");
    return whole.slice(0, length).trimEnd();
  }

  /** After a comma inside an object value: does a new member (or the end of the object) follow? */
  private commaEndsValue(comma: number): boolean {
    const k = this.skipBlanks(comma + 1, LOOKAHEAD);
    const c = this.text.charCodeAt(k);
    return k >= this.n || c === Code.CloseBrace || this.looksLikeKeyAt(k);
  }

  /**
   * A quote followed by a closer while the string itself opened a bracket: real JSON structure continues
   * after that closer (end, another closer, or a comma then a value or key), so the quote did end the string.
   */
  private structureAfterCloser(closer: number): boolean {
    const t = this.text;
    const j = this.skipBlanks(closer + 1, LOOKAHEAD);
    if (j >= this.n) return true;
    const c = t.charCodeAt(j);
    if (isCloser(c)) return this.open[closerIndex(c)]! > 0;
    if (c !== Code.Comma) return false;
    const m = this.skipBlanks(j + 1, LOOKAHEAD);
    if (m >= this.n) return true;
    const d = t.charCodeAt(m);
    if (isQuote(d) || d === Code.OpenBrace || d === Code.OpenBracket || isDigit(d) || d === Code.Minus || isCloser(d)) return true;
    if (/^(?:true|false|null)\b/.test(t.slice(m, m + 6))) return true;
    return this.looksLikeKeyAt(m, false);
  }

  /** Does a complete quoted string start at `quote`, followed by what its context expects? */
  private quotedAheadAt(quote: number, context: Context): boolean {
    const t = this.text;
    const isEnd = endQuoteMatcher(t.charCodeAt(quote));
    const limit = Math.min(this.n, quote + LOOKAHEAD);
    let j = quote + 1;
    j = this.closingQuote(j, limit, isEnd, false);
    if (j >= limit) return j >= this.n;
    const k = this.skipBlanks(j + 1, 16);
    const c = t.charCodeAt(k);
    if (context === Context.ObjectValue) return c === Code.Colon;
    return k >= this.n || c === Code.Comma || isCloser(c) || c === Code.Colon;
  }

  /** 1: the quote at `q` closes the string; 0: it is an unescaped quote inside it. */
  private endQuoteVerdict(
    q: number,
    context: Context,
    nested: boolean,
    braces: number,
    brackets: number,
    parens: number,
    innerQuotes: number,
  ): 0 | 1 {
    const t = this.text;
    const n = this.n;
    const quote = t.charCodeAt(q);
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
    if (context === Context.ArrayValue && innerQuotes % 2 === 1 && isDoubleQuoteLike(quote) && (c === Code.Comma || isQuote(c))) {
      // an odd number of inner quotes so far: this one closes the quotation inside the element
      return 0;
    }
    switch (c) {
      case Code.Colon:
        return context === Context.ObjectValue && nested ? 0 : 1;
      case Code.Comma:
        if (context !== Context.ObjectValue) return 1;
        if (nested) {
          const m = this.skipBlanks(k + 1, LOOKAHEAD);
          return isQuote(t.charCodeAt(m)) && this.looksLikeKeyAt(m, false) ? 1 : 0;
        }
        return this.commaEndsValue(k) ? 1 : 0;
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
    }
    if (isQuote(c)) {
      if (context !== Context.ObjectValue) return 1;
      return !nested && this.looksLikeKeyAt(k, false) ? 1 : 0;
    }
    if (isDigit(c)) return context === Context.ObjectValue ? 0 : 1;
    if (context === Context.Key) return k > q + 1 ? 1 : 0;
    if (context === Context.ObjectValue && isIdentifierChar(c) && k > q + 1) {
      if (this.looksLikeKeyAt(k)) return 1;
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
