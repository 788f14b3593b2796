/**
 * The repair scanner: one left-to-right pass over model text that builds the value it meant, fixing syntax
 * on the way. Iterative with an explicit frame stack (no recursion), bounded lookahead only, so linear time.
 */
import * as chars from "./chars.js";
import { RepairError } from "./repair-error.js";
import { CALL as CALL_EXPORT, NONE as NONE_EXPORT, ScalarScanner } from "./scan-scalars.js";
import type { WrittenSpans } from "./written-spans.js";

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
const { endQuoteMatcher, isCloser, isIdentifierChar, isQuote, isValueStart } = chars;
const LOOKAHEAD = 128;

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
  /** Where the container's opening bracket stands in the text; -1 when it had none. */
  start: number;
  /** The next value delivered into this object followed a stray colon: junk, not a member. */
  discard: boolean;
}

/** A number written as JSON writes it (a set literal's element). */
const NUMBER = /^-?\d+(?:\.\d+)?(?:[eE][+-]?\d+)?$/;

/** Words that are values in every spelling the scalar scanner reads. */
const KEYWORD = /^(?:true|false|null|none|nan|infinity|undefined)$/i;

// local bindings of the shared symbols (compared once per token)
const CALL = CALL_EXPORT;
export const NONE = NONE_EXPORT;

function isEmptyObject(value: unknown): boolean {
  if (value === null || typeof value !== "object") return false;
  for (const _ in value) return false;
  return true;
}

/** Sets a member like JSON.parse does: `__proto__` becomes an own property, never the prototype. */
function setKey(object: Record<string, unknown>, key: string, value: unknown): void {
  if (key === "__proto__") Object.defineProperty(object, key, { value, writable: true, enumerable: true, configurable: true });
  else object[key] = value;
}

export class Scanner extends ScalarScanner {
  /** Frames are reused: one allocation per nesting level rather than per container. */
  private readonly pool: Frame[] = [];
  /** When set, where each object and array was written (a schema may want that text rather than the structure). */
  written: WrittenSpans | null = null;
  /** When set, the members written with no value at all (`"count": ,`), per object: their null is no answer. */
  valueless: WeakMap<object, Set<string>> | null = null;

  /** Parses every top-level value in the text (several are allowed); throws RepairError when there is none. */
  parseDocument(): unknown[] {
    const values: unknown[] = [];
    let lastWasContainer = false;
    this.skipSpace();
    if (this.bareMemberAt(this.i)) {
      // `"a": 1, "b": 2}`: an object that lost its opening brace
      this.step("missing_brace");
      values.push(this.parseTree({}, true));
      lastWasContainer = true;
    }
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
        if (c === Code.DoubleQuote && this.strayQuoteAtEnd(this.i)) {
          this.i++;
          this.step("junk");
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

  /**
   * A member with no object around it at the start of a document: a quoted key and a colon followed by a
   * value, or an unquoted key the schema names. Bounded lookahead.
   */
  private bareMemberAt(from: number): boolean {
    const t = this.text;
    const c = t.charCodeAt(from);
    let j: number;
    if (isQuote(c)) {
      const limit = Math.min(this.n, from + 1 + LOOKAHEAD);
      j = this.closingQuote(from + 1, limit, endQuoteMatcher(c), true);
      if (j >= limit || !endQuoteMatcher(c)(t.charCodeAt(j))) return false;
      j++;
    } else {
      const keys = this.expectedKeys;
      if (keys === null || keys.size === 0 || !isIdentifierChar(c)) return false;
      j = from;
      while (j < this.n && j < from + LOOKAHEAD && isIdentifierChar(t.charCodeAt(j))) j++;
      if (!keys.has(t.slice(from, j))) return false;
    }
    j = this.skipBlanks(j, 16);
    if (t.charCodeAt(j) !== Code.Colon) return false;
    return this.skipBlanks(j + 1, LOOKAHEAD) < this.n;
  }

  /**
   * After a key, a comma then a value that is neither a string nor a key (a number, literal or container):
   * the comma stood for the colon. Bounded lookahead.
   */
  private valueAfterComma(comma: number): boolean {
    const k = this.skipBlanks(comma + 1, LOOKAHEAD);
    if (k >= this.n) return false;
    const c = this.text.charCodeAt(k);
    return !isQuote(c) && !isCloser(c) && c !== Code.Comma && c !== Code.Colon && !this.looksLikeKeyAt(k);
  }

  /**
   * Text starting with a word (not a keyword) right after a `}` or `]`, no space between: skipped up to the
   * next comma, bracket, quote or line break (bounded). Returns whether it was.
   */
  private wordGluedToCloser(): boolean {
    const t = this.text;
    const before = t.charCodeAt(this.i - 1);
    if (before !== Code.CloseBrace && before !== Code.CloseBracket) return false;
    const limit = Math.min(this.n, this.i + LOOKAHEAD);
    let j = this.i;
    while (j < limit && isIdentifierChar(t.charCodeAt(j))) j++;
    if (KEYWORD.test(t.slice(this.i, j))) return false;
    for (; j < limit; j++) {
      const c = t.charCodeAt(j);
      if (c === Code.Comma || isCloser(c) || isQuote(c) || c === Code.OpenBrace || c === Code.OpenBracket || c === Code.Newline) break;
    }
    this.i = j;
    return true;
  }

  private noteValueless(object: Record<string, unknown>, key: string): void {
    if (this.valueless === null) return;
    const keys = this.valueless.get(object);
    if (keys === undefined) this.valueless.set(object, new Set([key]));
    else keys.add(key);
  }

  /**
   * `[["a", "b"], ["c", "d"], "e", "f"], ["g", "h"]]`: a table's row that lost its opening bracket. At a `]`
   * that follows as many scalars as the row before them holds, where more rows follow (`, [`) or a further
   * `]` that nothing else is open to take, the `]` closes that row rather than the list: the scalars become
   * one row and the list stays open. Returns whether they did.
   */
  private rowLostOpener(items: unknown[]): boolean {
    const last = items.length - 1;
    const tail = items[last];
    if (last < 2 || (tail !== null && typeof tail === "object") || !Array.isArray(items[0])) return false;
    const t = this.text;
    const k = this.skipBlanks(this.i + 1, LOOKAHEAD);
    const next = t.charCodeAt(k);
    if (next === Code.Comma) {
      if (t.charCodeAt(this.skipBlanks(k + 1, LOOKAHEAD)) !== Code.OpenBracket) return false;
    } else if (next !== Code.CloseBracket || this.open[1] !== 1) return false;
    let j = last;
    while (j > 0 && last - j < LOOKAHEAD && (items[j] === null || typeof items[j] !== "object")) j--;
    const row = items[j];
    if (!Array.isArray(row) || row.length !== last - j) return false;
    items.push(items.splice(j + 1));
    this.step("bracket_mismatch");
    return true;
  }

  protected push(stack: Frame[], kind: Kind, closer: number, object: Record<string, unknown> | null): Frame {
    const frame: Frame = this.pool.pop() ?? {
      kind,
      object: null,
      array: null,
      key: null,
      lastKey: null,
      closer,
      commas: 0,
      mergeInto: null,
      start: -1,
      discard: false,
    };
    frame.kind = kind;
    frame.object = kind === Kind.Object ? (object ?? {}) : null;
    frame.array = kind === Kind.Object ? null : [];
    frame.key = null;
    frame.lastKey = null;
    frame.closer = closer;
    frame.commas = 0;
    frame.mergeInto = null;
    frame.start = -1;
    frame.discard = false;
    stack.push(frame);
    this.open[this.closerIndex(closer)]!++;
    return frame;
  }

  protected pop(stack: Frame[]): unknown {
    const frame = stack.pop()!;
    this.open[this.closerIndex(frame.closer)]!--;
    const { kind, object, array, commas, mergeInto, start } = frame;
    frame.object = null;
    frame.array = null;
    frame.mergeInto = null;
    this.pool.push(frame);
    if (kind === Kind.Object) {
      if (this.written !== null && start >= 0) this.written.add(object!, this.text, start, this.i);
      return object;
    }
    const items = array!;
    if (kind === Kind.Call) return items.length > 0 ? items[0] : null;
    if (kind === Kind.Tuple && commas === 0 && items.length === 1) return items[0];
    if (mergeInto !== null) {
      for (const item of items) mergeInto.push(item);
      return NONE;
    }
    // a short array built by push() carries a 17-slot backing store: an exact copy keeps less alive
    const list = items.length < 8 ? items.slice() : items;
    if (this.written !== null && start >= 0 && kind === Kind.Array) this.written.add(list, this.text, start, this.i);
    return list;
  }

  /** Handles a closer that does not match the top frame; returns whether to consume it. */
  protected strayCloser(c: number): boolean {
    this.step("bracket_mismatch");
    return this.open[this.closerIndex(c)] === 0;
  }

  /**
   * Parses one value (scalar or container tree) iteratively. `resume` continues an object that was closed
   * too early (`{"a":1}, "b":2}`), adding further keys into it; `atKey`: the text goes on with a key.
   */
  parseTree(resume: Record<string, unknown> | null, atKey = false): unknown {
    const stack: Frame[] = [];
    let mode = Mode.Value;
    /** A comma was just consumed: a closer now means a trailing comma. */
    let afterComma = false;
    if (resume !== null) {
      this.push(stack, Kind.Object, Code.CloseBrace, resume);
      mode = atKey ? Mode.Key : Mode.After;
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
            if (this.i < n && !top.discard) this.noteValueless(top.object!, top.key ?? "");
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
            this.push(stack, Kind.Object, Code.CloseBrace, null).start = this.i++;
            mode = Mode.Key;
            continue;
          }
          if (c === Code.OpenBracket) {
            this.push(stack, Kind.Array, Code.CloseBracket, null).start = this.i++;
            continue;
          }
          if (c === Code.OpenParen) {
            this.i++;
            this.step("python_literal");
            this.push(stack, Kind.Tuple, Code.CloseParen, null);
            continue;
          }
          const context = top === null ? Context.Root : top.kind === Kind.Object ? Context.ObjectValue : Context.ArrayValue;
          const scalar = this.parseScalar(context);
          if (scalar === CALL) {
            this.push(stack, Kind.Call, Code.CloseParen, null);
            continue;
          }
          if (scalar === NONE) {
            if (top === null) return NONE;
            if (this.i < n) {
              this.i++;
              this.step("skipped_character");
            }
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
          const nothingYet = frame.lastKey === null && !afterComma;
          if (this.strayCloser(c)) this.i++;
          value = this.pop(stack);
          const parent = stack.length > 0 ? stack[stack.length - 1]! : null;
          if (nothingYet && parent !== null && parent.array !== null && parent.array.length === 0 && isEmptyObject(value)) {
            // `[{]`: the only thing in the list, a brace closed by the wrong bracket before any key, is a stray
            // brace rather than an empty object (`[{{]` still holds two objects: a run of braces is meant)
            this.step("skipped_character");
            mode = Mode.After;
            continue;
          }
        } else if (this.isEllipsis()) {
          this.i += 3;
          this.step("ellipsis");
          continue;
        } else if (c === Code.DoubleQuote && this.strayQuoteAtEnd(this.i)) {
          this.i++;
          this.step("junk");
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
            const e = t.charCodeAt(j);
            if ((e === Code.Comma || e === Code.CloseBrace) && frame.lastKey === null && NUMBER.test(key) && isEmptyObject(frame.object)) {
              // {1, 2}: a set literal of numbers, read as an array
              this.step("set_literal");
              frame.kind = Kind.Array;
              frame.array = [Number(key)];
              frame.object = null;
              mode = Mode.After;
              continue;
            }
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
            if (stack.length > 1 && stack[stack.length - 2]!.kind === Kind.Array && Object.hasOwn(frame.object!, key)) {
              // `[{"name": "A", "age": 1, "name": "B", "age": 2}]`: a key met again inside an element of a list
              // starts the next element, whose `}, {` was lost
              this.step("missing_closer");
              const element = this.pop(stack);
              stack[stack.length - 1]!.array!.push(element);
              this.push(stack, Kind.Object, Code.CloseBrace, null).key = key;
              mode = Mode.Value;
              continue;
            }
            frame.key = key;
            mode = Mode.Value;
            continue;
          }
          if (quoted && key === "" && this.i < n) {
            // `, """" "next": 1`: an empty quoted string where a key belongs, with no colon, holds nothing
            this.step("junk");
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
          } else if (quoted && d === Code.Comma && this.valueAfterComma(this.i)) {
            // `{"key", 105}`: a comma written where the colon belongs, a value rather than a key after it
            this.i++;
            this.step("missing_colon");
            frame.key = key;
            mode = Mode.Value;
            continue;
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
            this.noteValueless(frame.object!, key);
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
          if (frame.kind === Kind.Array && this.rowLostOpener(frame.array!)) {
            this.i++;
            continue;
          }
          this.i++;
          value = this.pop(stack);
        } else if (isCloser(c)) {
          if (this.strayCloser(c)) {
            this.i++;
            continue;
          }
          value = this.pop(stack);
        } else if (c === Code.Colon && frame.kind === Kind.Object) {
          // `{"a": "x": 1, "b": 2}`: a colon after a member's value; what follows it is junk
          this.i++;
          this.step("junk");
          frame.discard = true;
          mode = Mode.Value;
          continue;
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
        } else if (frame.kind === Kind.Array && isIdentifierChar(c) && this.wordGluedToCloser()) {
          // `[{"a": 1}x, {"b": 2}]`: a word glued to the bracket closing the element before it is junk, as
          // text after a top-level value is
          this.step("junk");
          continue;
        } else if (c === Code.DoubleQuote && frame.kind === Kind.Object && this.strayQuoteAtEnd(this.i)) {
          // `{"a": "hello"\n",}`: a lone quote before the closers that end the text
          this.i++;
          this.step("junk");
          continue;
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
        if (parent.discard) parent.discard = false;
        else {
          const key = parent.key ?? "";
          setKey(parent.object!, key, value);
          parent.lastKey = key;
          parent.key = null;
        }
      } else parent.array!.push(value);
      mode = Mode.After;
      value = undefined;
      afterComma = false;
    }
  }
}
