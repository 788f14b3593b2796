/**
 * The byte fast pass's structure (byte-repair.ts has its entry points): containers, keys and their colons,
 * duplicate keys, numbers and literals, and the end of the input in every state, over the strings of
 * byte-strings.ts. One forward pass; an explicit stack of containers, no recursion.
 */
import * as tokens from "./byte-tokens.js";
import { ByteStrings } from "./byte-strings.js";

/** File-local byte codes (a const enum is inlined only inside its own file). */
const enum B {
  DoubleQuote = 0x22,
  SingleQuote = 0x27,
  OpenParen = 0x28,
  CloseParen = 0x29,
  Plus = 0x2b,
  Comma = 0x2c,
  Minus = 0x2d,
  Dot = 0x2e,
  Slash = 0x2f,
  Zero = 0x30,
  Nine = 0x39,
  Colon = 0x3a,
  OpenBracket = 0x5b,
  Backslash = 0x5c,
  CloseBracket = 0x5d,
  Backtick = 0x60,
  OpenBrace = 0x7b,
  CloseBrace = 0x7d,
}

// local bindings: hot loops must not go through module export accessors
const { BLANK, canonicalEnd, giveUp, isDigitByte, isIndexKey } = tokens;

const enum Mode {
  /** A value is expected: at the root, after `[`, after a comma in a list, after a key's colon. */
  Value = 0,
  /** A key (or the end of the object) is expected: after `{` or a comma in an object. */
  Key = 1,
  /** A value was just completed inside a container. */
  After = 2,
}

const enum Kind {
  Object = 0,
  Array = 1,
}

/** File-local copies of byte-strings.ts's enums (a const enum is inlined only inside its own file). */
const enum Step {
  SingleQuotes = 1,
  TrailingComma = 2,
  Truncated = 4,
  InvalidEscape = 8,
  MissingQuote = 16,
}
const enum Context {
  Key = 0,
  ObjectValue = 1,
  ArrayValue = 2,
}

const TRUE = Uint8Array.of(0x74, 0x72, 0x75, 0x65);
const FALSE = Uint8Array.of(0x66, 0x61, 0x6c, 0x73, 0x65);
const NULL = Uint8Array.of(0x6e, 0x75, 0x6c, 0x6c);

/** Deeper documents go to recover() (JSON.stringify of a very deep value may overflow the stack). */
export const MAX_DEPTH = 512;
/** Longest blank run between tokens: the scanner decides a closing quote by looking 128 characters ahead. */
const MAX_BLANKS = 120;
/** After `'value',` the scanner takes what follows for a key only when its closing quote comes within this reach… */
const KEY_REACH = 128;
/** …and its colon after fewer than this many blanks. */
const COLON_REACH = 16;
/** Keys of one object compared byte for byte up to this many; beyond, through a Set of their text. */
const LINEAR_KEYS = 16;

/** ASCII word characters, space, `$` and `-`: what the scanner accepts as a key cut off by the end. */
function cutKeyByte(c: number): boolean {
  return (
    (c >= 0x30 && c <= 0x39) || (c >= 0x41 && c <= 0x5a) || (c >= 0x61 && c <= 0x7a) || c === 0x5f || c === 0x20 || c === 0x24 || c === 0x2d
  );
}

export class BytePass extends ByteStrings {
  private depth = 0;
  private readonly kinds = new Uint8Array(MAX_DEPTH + 1);
  /** Members or elements started in each open container. */
  private readonly counts = new Int32Array(MAX_DEPTH + 1);
  /** Per open list: its first element is a list; its last one is a scalar (the scanner may regroup such rows). */
  private readonly firstIsList = new Uint8Array(MAX_DEPTH + 1);
  private readonly lastIsScalar = new Uint8Array(MAX_DEPTH + 1);
  /**
   * Output spans [from, to) of the keys of the open objects, flat up to keyTop; each object's own start at
   * keyBase. Room for LINEAR_KEYS keys per level (more go to a Set): no allocation while scanning.
   */
  private readonly keySpans = new Int32Array(2 * LINEAR_KEYS * (MAX_DEPTH + 1));
  private keyTop = 0;
  private readonly keyBase = new Int32Array(MAX_DEPTH + 1);
  private readonly keySets: Array<Set<string> | null> = new Array<Set<string> | null>(MAX_DEPTH + 1).fill(null);
  run(): Uint8Array {
    const input = this.input;
    const n = this.n;
    const out = this.out;
    let i = 0;
    while (i < n && BLANK[input[i]!] === 1) i++;
    const first = input[i];
    if (first !== B.OpenBrace && first !== B.OpenBracket) return giveUp();
    let last = n - 1;
    while (last > i && BLANK[input[last]!] === 1) last--;
    // a reply ending in ``` loses it as a stray closing fence before scanning
    if (input[last] === B.Backtick) return giveUp();
    let mode = Mode.Value;
    /** The value just completed was a string in an object: a comma after it makes the scanner look for a key. */
    let stringInObject = false;
    /** What follows must look like a key to the scanner's lookahead, or it reads the quote before as text. */
    let keyCheck = false;
    /** A comma was just read: a closer now drops a trailing comma. */
    let afterComma = false;
    for (;;) {
      const from = i;
      while (i < n && BLANK[input[i]!] === 1) i++;
      if (i - from > MAX_BLANKS) return giveUp();
      if (i >= n) {
        this.closeAll(mode);
        break;
      }
      const c = input[i]!;
      const d = this.depth;
      if (mode === Mode.After) {
        if (c === B.Comma) {
          i++;
          if (this.kinds[d] === Kind.Object) {
            if (stringInObject && this.parens > 0) return giveUp();
            keyCheck = stringInObject;
            mode = Mode.Key;
          } else mode = Mode.Value;
          stringInObject = false;
          afterComma = true;
          continue;
        }
        if (c !== (this.kinds[d] === Kind.Object ? B.CloseBrace : B.CloseBracket)) return giveUp();
        i++;
        if (this.close()) break;
        stringInObject = false;
        continue;
      }
      if (mode === Mode.Key) {
        if (c === B.CloseBrace) {
          i++;
          keyCheck = false;
          if (afterComma) this.step(Step.TrailingComma);
          afterComma = false;
          if (this.close()) break;
          mode = Mode.After;
          continue;
        }
        if (c !== B.SingleQuote && c !== B.DoubleQuote) return giveUp();
        i = this.key(i, keyCheck);
        keyCheck = false;
        afterComma = false;
        if (i < 0) break;
        mode = Mode.Value;
        continue;
      }
      // Mode.Value
      const list = d > 0 && this.kinds[d] === Kind.Array;
      if (list) {
        if (c === B.CloseBracket) {
          i++;
          if (afterComma) this.step(Step.TrailingComma);
          afterComma = false;
          if (this.close()) break;
          mode = Mode.After;
          continue;
        }
        afterComma = false;
        const count = this.counts[d]!;
        if (count > 0) out[this.o++] = B.Comma;
        this.counts[d] = count + 1;
        const scalar = c !== B.OpenBrace && c !== B.OpenBracket;
        if (count === 0) this.firstIsList[d] = c === B.OpenBracket ? 1 : 0;
        this.lastIsScalar[d] = scalar ? 1 : 0;
      }
      if (c === B.OpenBrace || c === B.OpenBracket) {
        this.open(c === B.OpenBrace ? Kind.Object : Kind.Array);
        out[this.o++] = c;
        i++;
        mode = c === B.OpenBrace ? Mode.Key : Mode.Value;
        continue;
      }
      if (d === 0) return giveUp();
      stringInObject = false;
      mode = Mode.After;
      if (c === B.SingleQuote || c === B.DoubleQuote) {
        i = this.string(i, list ? Context.ArrayValue : Context.ObjectValue);
        if (i < 0) {
          this.closeAll(Mode.After);
          break;
        }
        stringInObject = !list;
        continue;
      }
      i = (c >= B.Zero && c <= B.Nine) || c === B.Minus ? this.number(i, list) : this.literal(i);
      if (i < 0) break;
    }
    if (this.depth !== 0) return giveUp();
    // only blanks may follow the document (i < 0: it ended inside a token)
    if (i >= 0) for (; i < n; i++) if (BLANK[input[i]!] !== 1) return giveUp();
    return out.subarray(0, this.o);
  }

  private open(kind: Kind): void {
    const d = ++this.depth;
    if (d > MAX_DEPTH) giveUp();
    this.kinds[d] = kind;
    this.counts[d] = 0;
    if (kind === Kind.Object) this.keyBase[d] = this.keyTop;
  }

  /** Closes the innermost container; true when that was the document itself. */
  private close(): boolean {
    const d = this.depth;
    if (this.kinds[d] === Kind.Object) {
      this.keyTop = this.keyBase[d]!;
      if (this.keySets[d] !== null) this.keySets[d] = null;
      this.out[this.o++] = B.CloseBrace;
    } else {
      // `[["a"], "b", "c"]`: the scanner may take trailing scalars for a row that lost its opening bracket
      if (this.counts[d]! >= 3 && this.firstIsList[d] === 1 && this.lastIsScalar[d] === 1) giveUp();
      this.out[this.o++] = B.CloseBracket;
    }
    this.depth = d - 1;
    return d === 1;
  }

  /** The end of the input: a member waiting for its value gets null, then every open container is closed. */
  private closeAll(mode: Mode): void {
    const out = this.out;
    this.step(Step.Truncated);
    if (mode === Mode.Value && this.kinds[this.depth] === Kind.Object && this.depth > 0) {
      out[this.o++] = 0x6e;
      out[this.o++] = 0x75;
      out[this.o++] = 0x6c;
      out[this.o++] = 0x6c;
    }
    for (let d = this.depth; d > 0; d--) out[this.o++] = this.kinds[d] === Kind.Object ? B.CloseBrace : B.CloseBracket;
    this.depth = 0;
  }

  /**
   * A member's key at `q` (a quote) and its colon. Returns where the value starts, or -1 when the input ended
   * (the object is then complete: a key cut off or without colon gets null, an empty one is dropped).
   * `checked`: the scanner's key lookahead must accept it (it follows `'value',`).
   */
  private key(q: number, checked: boolean): number {
    const input = this.input;
    const n = this.n;
    const out = this.out;
    const mark = this.o;
    if (this.counts[this.depth]! > 0) out[this.o++] = B.Comma;
    const from = this.o + 1;
    const end = this.string(q, Context.Key);
    if (end < 0) return this.cutKey(q, { mark, from, checked });
    const to = this.o - 1;
    if (checked && (this.resumed || end - 1 - q >= KEY_REACH)) giveUp();
    let k = end;
    while (k < n && BLANK[input[k]!] === 1) k++;
    if (k - end > (checked ? COLON_REACH - 1 : MAX_BLANKS)) giveUp();
    if (k >= n) {
      // a whole key, then the end: null, unless it is empty
      if (checked) giveUp();
      return this.keyAtEnd(mark, from, to);
    }
    if (input[k] !== B.Colon) giveUp();
    this.member(from, to);
    out[this.o++] = B.Colon;
    return k + 1;
  }

  /**
   * The input ended inside the key at `q`: the scanner keeps it trimmed, with null, when its lookahead took it
   * for a key. Only word-like keys are taken here: a cut key of other characters may be junk to the scanner.
   */
  private cutKey(q: number, at: { mark: number; from: number; checked: boolean }): number {
    const out = this.out;
    const { mark, from, checked } = at;
    // the key as written (in place, the input under it is gone): no escapes there (cut() gave up on them)
    for (let k = from; k < this.o - 1; k++) {
      const c = out[k]!;
      if (c === B.Backslash || c >= 0x80 || !cutKeyByte(c)) giveUp();
    }
    if (checked && this.n - q >= KEY_REACH) giveUp();
    let start = from;
    let to = this.o - 1;
    while (start < to && out[start] === 0x20) start++;
    while (to > start && out[to - 1] === 0x20) to--;
    out.copyWithin(from, start, to);
    to = from + (to - start);
    this.o = to + 1;
    out[to] = B.DoubleQuote;
    return this.keyAtEnd(mark, from, to);
  }

  /** The key at out[from, to) was the last thing written: it gets null, or is dropped when empty (from `mark`). */
  private keyAtEnd(mark: number, from: number, to: number): number {
    if (from === to) {
      this.o = mark;
      this.closeAll(Mode.Key);
      return -1;
    }
    this.member(from, to);
    this.out[this.o++] = B.Colon;
    this.closeAll(Mode.Value);
    return -1;
  }

  /** Records the key at out[from, to) in the innermost object; gives up on a repeat or an array index. */
  private member(from: number, to: number): void {
    const out = this.out;
    const d = this.depth;
    const first = out[from]!;
    if (first >= B.Zero && first <= B.Nine && isIndexKey(out, from, to)) giveUp();
    const spans = this.keySpans;
    const base = this.keyBase[d]!;
    const top = this.keyTop;
    if (top - base >= 2 * LINEAR_KEYS) {
      this.memberInSet(from, to);
      return;
    }
    const length = to - from;
    for (let s = base; s < top; s += 2) {
      const start = spans[s]!;
      if (spans[s + 1]! - start !== length) continue;
      let k = 0;
      while (k < length && out[start + k] === out[from + k]) k++;
      if (k === length) giveUp();
    }
    spans[top] = from;
    spans[top + 1] = to;
    this.keyTop = top + 2;
    this.counts[d]!++;
  }

  /** member() past LINEAR_KEYS keys: the keys of the object as strings in a Set. */
  private memberInSet(from: number, to: number): void {
    const d = this.depth;
    let set = this.keySets[d];
    if (set === null || set === undefined) {
      set = new Set<string>();
      for (let s = this.keyBase[d]!; s < this.keyTop; s += 2) set.add(this.text(this.keySpans[s]!, this.keySpans[s + 1]!));
      this.keySets[d] = set;
    }
    const text = this.text(from, to);
    if (set.has(text)) giveUp();
    set.add(text);
    this.counts[d]!++;
  }

  /** out[from, to) as a string of bytes (one char per byte: equal keys give equal strings). */
  private text(from: number, to: number): string {
    let s = "";
    for (let k = from; k < to; k++) s += String.fromCharCode(this.out[k]!);
    return s;
  }

  /** A number at `i`; returns where it ends, or -1 when it ran to the end of the input (all closed then). */
  private number(i: number, list: boolean): number {
    const input = this.input;
    const n = this.n;
    let j = i;
    if (input[j] === B.Minus) j++;
    if (j >= n) return this.signAtEnd(list);
    const intStart = j;
    let c = input[j]!;
    if (c < B.Zero || c > B.Nine) giveUp();
    j++;
    if (c === B.Zero) {
      c = input[j]!;
      if (c >= B.Zero && c <= B.Nine) giveUp();
    } else {
      c = input[j]!;
      while (c >= B.Zero && c <= B.Nine) c = input[++j]!;
    }
    // `1,234.5`: the scanner reads thousands separators
    if (c === B.Comma && j - intStart <= 3) this.thousands(j);
    let dot = -1;
    if (c === B.Dot) {
      dot = j++;
      c = input[j]!;
      while (c >= B.Zero && c <= B.Nine) c = input[++j]!;
      if (j === dot + 1 && j < n) giveUp();
    }
    if (j < n && BLANK[c] !== 1 && c !== B.Comma && c !== B.CloseBracket && c !== B.CloseBrace) giveUp();
    const end = canonicalEnd(input, i, j, dot);
    const out = this.out;
    if (end < 0) out[this.o++] = B.Zero;
    else for (let k = i; k < end; k++) out[this.o++] = input[k]!;
    if (j >= n) {
      this.closeAll(Mode.After);
      return -1;
    }
    return j;
  }

  /** Gives up on digits grouped by commas after `j` and followed by decimals (`1,234.5`, one number to the scanner). */
  private thousands(j: number): void {
    const input = this.input;
    let g = j;
    while (input[g] === B.Comma && isDigitByte(input[g + 1]!) && isDigitByte(input[g + 2]!) && isDigitByte(input[g + 3]!)) g += 4;
    if (g > j && input[g] === B.Dot && isDigitByte(input[g + 1]!)) giveUp();
  }

  /** A sign cut off by the end: 0 as a member's value, nothing in a list. */
  private signAtEnd(list: boolean): number {
    if (!list) this.out[this.o++] = B.Zero;
    else if (this.counts[this.depth]! > 1) this.o--; // the comma written before it
    this.closeAll(Mode.After);
    return -1;
  }

  /** true, false or null at `i` (or the start of one cut off by the end); returns where it ends, or -1 at the end. */
  private literal(i: number): number {
    const input = this.input;
    const n = this.n;
    const c = input[i]!;
    const word = c === 0x74 ? TRUE : c === 0x66 ? FALSE : c === 0x6e ? NULL : null;
    if (word === null) return giveUp();
    let k = 1;
    while (k < word.length && i + k < n && input[i + k] === word[k]) k++;
    const j = i + k;
    if (j < n) {
      const d = input[j]!;
      if (k < word.length || (BLANK[d] !== 1 && d !== B.Comma && d !== B.CloseBracket && d !== B.CloseBrace)) giveUp();
    }
    const out = this.out;
    for (let m = 0; m < word.length; m++) out[this.o++] = word[m]!;
    if (j < n) return j;
    this.closeAll(Mode.After);
    return -1;
  }
}
