/**
 * Incremental mode: a resumable JSON state machine fed chunk by chunk that keeps the best partial value so far
 * (built in place, O(1) to return) and the paths of completed values. Total work over a stream is O(n).
 */
import { isHexDigit } from "./chars.js";
import { CompletePaths } from "./complete-paths.js";
import { type RecoverOptions, type RecoveryResult, recover, recoverFromValue } from "./recover.js";

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

export interface PartialValue {
  /** The best partial value so far: strings may still grow; numbers and literals appear only once complete. */
  value: unknown;
  /** JSON-pointer paths ("" is the root, "/topics/0") of values that are complete. */
  complete: ReadonlySet<string>;
}

export interface IncrementalParser {
  push(chunk: string): PartialValue;
  /** The final result: the value built incrementally when the stream was valid JSON, else a full recover(). */
  end(): RecoveryResult;
}

export type IncrementalOptions = Pick<RecoverOptions, "schema" | "strict">;

const enum Expect {
  Value = 0,
  Key = 1,
  Colon = 2,
  Comma = 3,
}

const enum Token {
  None = 0,
  String = 1,
  Number = 2,
  Literal = 3,
}

interface Frame {
  object: Record<string, unknown> | null;
  array: unknown[] | null;
  key: string;
}

/** Sets a member like JSON.parse does: `__proto__` becomes an own property, never the prototype. */
function setKey(object: Record<string, unknown>, key: string, value: unknown): void {
  if (key === "__proto__") Object.defineProperty(object, key, { value, writable: true, enumerable: true, configurable: true });
  else object[key] = value;
}

/** End of the number (or literal word) characters from `from`. */
function scalarEnd(chunk: string, from: number, number: boolean): number {
  let j = from;
  const n = chunk.length;
  while (j < n) {
    const d = chunk.charCodeAt(j);
    const part = number
      ? (d >= 0x30 && d <= 0x39) || d === 0x2e || d === 0x2d || d === 0x2b || d === 0x65 || d === 0x45
      : (d >= 0x61 && d <= 0x7a) || (d >= 0x41 && d <= 0x5a);
    if (!part) break;
    j++;
  }
  return j;
}

const NUMBER = /^-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?$/;
// keys are the escape letters' char codes: " \\ / b f n r t
const ESCAPES: Record<number, string> = { 34: '"', 92: "\\", 47: "/", 98: "\b", 102: "\f", 110: "\n", 114: "\r", 116: "\t" };

/** Starts a streaming parse. Never throws; the final value comes from end(). */
export function createIncrementalParser(options: IncrementalOptions = {}): IncrementalParser {
  return new Incremental(options);
}

class Incremental implements IncrementalParser {
  /** The text so far, as joined blocks plus recent chunks (few long-lived objects for the GC). */
  private readonly blocks: string[] = [];
  private chunks: string[] = [];
  private readonly stack: Frame[] = [];
  private readonly complete = new CompletePaths({
    root: () => this.root,
    isOpen: (container) => this.stack.some((frame) => frame.object === container || frame.array === container),
    growing: () => {
      const top = this.top;
      if (this.token !== Token.String || this.isKey || top === undefined) return null;
      if (top.object !== null) return { container: top.object, key: top.key };
      return this.slotOpen ? { container: top.array!, key: top.array!.length - 1 } : null;
    },
  });
  private root: unknown = undefined;
  private started = false;
  private done = false;
  /** Anything outside strict JSON was seen: end() hands the whole text to recover(). */
  private dirty = false;
  private expect = Expect.Value;
  private token = Token.None;
  private text = "";
  private isKey = false;
  private quote = 0;
  /** 0 none, 1 after a backslash, 2 inside \uXXXX. */
  private escape = 0;
  private hex = "";
  private pendingKey = "";
  /** Characters examined so far: a work counter that lets tests prove total work is linear without a clock. */
  work = 0;

  constructor(private readonly options: IncrementalOptions) {}

  push(chunk: string): PartialValue {
    try {
      if (typeof chunk === "string" && chunk.length > 0) {
        this.chunks.push(chunk);
        if (this.chunks.length >= 4096) {
          this.blocks.push(this.chunks.join(""));
          this.chunks = [];
        }
        this.consume(chunk);
        if (this.token === Token.String && !this.isKey) this.place(this.text, false);
      }
    } catch {
      this.dirty = true;
    }
    return { value: this.root, complete: this.complete };
  }

  end(): RecoveryResult {
    try {
      if (this.token === Token.Number || this.token === Token.Literal) this.consume(" ");
      const clean = !this.dirty && this.done && this.token === Token.None;
      if (clean && !this.options.schema) return recoverFromValue("", this.root, this.options);
      const whole = this.blocks.join("") + this.chunks.join("");
      return clean ? recoverFromValue(whole, this.root, this.options) : recover(whole, this.options);
    } catch (error) {
      return { ok: false, error: `internal error: ${error instanceof Error ? error.message : String(error)}`, steps: [] };
    }
  }

  private get top(): Frame | undefined {
    return this.stack[this.stack.length - 1];
  }

  /** Puts a (possibly partial) value in its slot; `final` marks it complete. */
  private place(value: unknown, final: boolean): void {
    const top = this.top;
    if (top === undefined) {
      this.root = value;
      if (final) this.done = true;
      return;
    }
    if (top.object !== null) {
      setKey(top.object, top.key, value);
    } else {
      const items = top.array!;
      // a growing string already holds the last slot
      const slot = this.token === Token.String && items.length > 0 && this.slotOpen ? items.length - 1 : items.length;
      items[slot] = value;
      this.slotOpen = !final;
    }
    if (final) this.expect = Expect.Comma;
  }

  private slotOpen = false;

  private open(container: Record<string, unknown> | unknown[]): void {
    if (this.top === undefined) {
      this.root = container;
      this.started = true;
    } else if (this.top.object !== null) setKey(this.top.object, this.top.key, container);
    else this.top.array!.push(container);
    const isArray = Array.isArray(container);
    this.stack.push({
      object: isArray ? null : (container as Record<string, unknown>),
      array: isArray ? (container as unknown[]) : null,
      key: "",
    });

    this.expect = isArray ? Expect.Value : Expect.Key;
  }

  private close(c: number): void {
    const frame = this.top!;
    if ((c === Code.CloseBrace) !== (frame.object !== null)) this.dirty = true;
    this.stack.pop();

    if (this.stack.length === 0) this.done = true;
    this.expect = Expect.Comma;
  }

  private finishScalar(raw: string): void {
    let value: unknown;
    if (this.token === Token.Number) {
      if (!NUMBER.test(raw)) this.dirty = true;
      value = Number(raw);
      if (Number.isNaN(value)) value = raw;
    } else if (raw === "true" || raw === "false" || raw === "null") value = raw === "true" ? true : raw === "false" ? false : null;
    else {
      this.dirty = true;
      const lower = raw.toLowerCase();
      value = lower === "true" ? true : lower === "false" ? false : lower === "null" || lower === "none" ? null : raw;
    }
    this.token = Token.None;
    this.place(value, true);
  }

  private consume(chunk: string): void {
    const n = chunk.length;
    let i = 0;
    while (i < n) {
      this.work++;
      if (this.token === Token.String) {
        i = this.consumeString(chunk, i);
        continue;
      }
      const c = chunk.charCodeAt(i);
      if (this.token === Token.Number || this.token === Token.Literal) {
        const j = scalarEnd(chunk, i, this.token === Token.Number);
        this.work += j - i;
        this.text += chunk.slice(i, j);
        if (j >= n) return;
        i = j;
        this.finishScalar(this.text);
        continue;
      }
      i++;
      if (c === Code.Space || c === Code.Newline || c === Code.Return || c === Code.Tab) continue;
      if (this.done || (!this.started && this.stack.length === 0 && c !== Code.OpenBrace && c !== Code.OpenBracket)) {
        this.dirty = true;
        continue;
      }
      switch (this.expect) {
        case Expect.Value:
          if (c === Code.OpenBrace) this.open({});
          else if (c === Code.OpenBracket) this.open([]);
          else if (c === Code.DoubleQuote || c === Code.SingleQuote) this.startString(c, false);
          else if (c === Code.Minus || (c >= 0x30 && c <= 0x39)) i = this.scalar(chunk, i - 1, Token.Number);
          else if ((c >= 0x61 && c <= 0x7a) || (c >= 0x41 && c <= 0x5a)) i = this.scalar(chunk, i - 1, Token.Literal);
          else if ((c === Code.CloseBracket || c === Code.CloseBrace) && this.top !== undefined) {
            if (this.top.object !== null || this.top.array!.length > 0) this.dirty = true;
            this.close(c);
          } else this.dirty = true;
          break;
        case Expect.Key:
          if (c === Code.DoubleQuote || c === Code.SingleQuote) this.startString(c, true);
          else if (c === Code.CloseBrace) {
            if (Object.keys(this.top!.object!).length > 0) this.dirty = true;
            this.close(c);
          } else this.dirty = true;
          break;
        case Expect.Colon:
          if (c === Code.Colon) {
            this.top!.key = this.pendingKey;
            this.expect = Expect.Value;
          } else this.dirty = true;
          break;
        case Expect.Comma:
          if (c === Code.Comma) this.expect = this.top?.object != null ? Expect.Key : Expect.Value;
          else if (c === Code.CloseBrace || c === Code.CloseBracket) this.close(c);
          else this.dirty = true;
          break;
      }
    }
  }

  /** A number or literal starting at `start`: finished at once when it ends inside this chunk. */
  private scalar(chunk: string, start: number, token: Token): number {
    const j = scalarEnd(chunk, start + 1, token === Token.Number);
    this.work += j - start;
    this.token = token;
    if (j < chunk.length) {
      this.finishScalar(chunk.slice(start, j));
      return j;
    }
    this.text = chunk.slice(start);
    return j;
  }

  private startString(quote: number, isKey: boolean): void {
    if (quote !== Code.DoubleQuote) this.dirty = true;
    this.token = Token.String;
    this.quote = quote;
    this.isKey = isKey;
    this.text = "";
    this.escape = 0;
    this.slotOpen = false;
  }

  /** Consumes string content from `i`; returns the index after what it consumed. */
  private consumeString(chunk: string, from: number): number {
    const n = chunk.length;
    let i = from;
    while (i < n) {
      if (this.escape === 1) {
        const c = chunk.charCodeAt(i++);
        if (c === 0x75) {
          this.escape = 2;
          this.hex = "";
        } else {
          const mapped = ESCAPES[c];
          if (mapped === undefined) this.dirty = true;
          this.text += mapped ?? String.fromCharCode(c);
          this.escape = 0;
        }
        continue;
      }
      if (this.escape === 2) {
        while (i < n && this.hex.length < 4 && isHexDigit(chunk.charCodeAt(i))) this.hex += chunk[i++];
        if (this.hex.length === 4) {
          this.text += String.fromCharCode(Number.parseInt(this.hex, 16));
          this.escape = 0;
        } else if (i < n) {
          // not an escape after all (`\uZZZZ`): shown as the text written, as recover() keeps it
          this.dirty = true;
          this.text += `\\u${this.hex}`;
          this.escape = 0;
        }
        continue;
      }
      let j = i;
      while (j < n) {
        const c = chunk.charCodeAt(j);
        if (c === this.quote || c === Code.Backslash) break;
        if (c < 0x20) this.dirty = true;
        j++;
      }
      this.work += j - i;
      if (j > i) this.text += chunk.slice(i, j);
      if (j >= n) return n;
      if (chunk.charCodeAt(j) === Code.Backslash) {
        this.escape = 1;
        i = j + 1;
        continue;
      }
      // closing quote
      i = j + 1;
      const text = this.text;
      if (this.isKey) {
        this.token = Token.None;
        this.pendingKey = text;
        this.expect = Expect.Colon;
      } else {
        this.place(text, true);
        this.token = Token.None;
        this.slotOpen = false;
      }
      this.text = "";
      return i;
    }
    return i;
  }
}
