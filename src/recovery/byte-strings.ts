/**
 * Strings for the byte fast pass (byte-repair.ts): the base of its pass, holding the input, the output and
 * the steps met, and reading a quoted string as the repair scanner would — written as a JSON string, its
 * closing quote taken only where the scanner surely takes it, a cut-off string ended as the scanner ends it.
 */
import * as tokens from "./byte-tokens.js";
import * as chars from "./chars.js";

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
const { BODY, codePointBefore, giveUp, hex4, utf8Length, writeUnit } = tokens;
const { isSpace } = chars;

/** The repair steps the pass can meet, as bits. */
const enum Step {
  SingleQuotes = 1,
  TrailingComma = 2,
  Truncated = 4,
  InvalidEscape = 8,
  MissingQuote = 16,
}
const STEP_NAMES: Record<number, string> = {
  [Step.SingleQuotes]: "single_quotes",
  [Step.TrailingComma]: "trailing_comma",
  [Step.Truncated]: "truncated",
  [Step.InvalidEscape]: "invalid_escape",
  [Step.MissingQuote]: "missing_quote",
};

const enum Context {
  Key = 0,
  ObjectValue = 1,
  ArrayValue = 2,
}

/** The characters before the cut of a string that make the scanner end it at an earlier delimiter. */
function cutDelimiter(c: number): boolean {
  return (
    c === B.Comma ||
    c === B.Colon ||
    c === B.CloseBrace ||
    c === B.CloseBracket ||
    c === B.OpenBrace ||
    c === B.OpenBracket ||
    c === B.Plus ||
    c === B.Slash
  );
}

export class ByteStrings {
  protected readonly n: number;
  /** Room for the worst case: every byte doubled (`"` inside single quotes), plus what a cut adds. */
  protected readonly out: Uint8Array;
  protected o = 0;
  /** Parentheses a string just read left open (the scanner reads its closing quote differently then). */
  protected parens = 0;
  /** The string just read was cut off and ended at a delimiter, where reading went on. */
  protected resumed = false;
  /** The repair steps met so far, in the order the scanner first records them. */
  readonly steps: string[] = [];
  private seen = 0;

  /** Records a step (a Step bit) the first time it is met. */
  protected step(step: number): void {
    if ((this.seen & step) !== 0) return;
    this.seen |= step;
    this.steps.push(STEP_NAMES[step]!);
  }

  /** Output written over the input: it must never overtake the reading (see the `"` in string()). */
  protected readonly inPlace: boolean;

  constructor(
    protected readonly input: Uint8Array,
    length: number,
    out: Uint8Array | null,
  ) {
    this.n = length;
    this.out = out ?? new Uint8Array(2 * length + 64);
    this.inPlace = out === input;
  }

  /**
   * A quoted string at `q`, written as a JSON string. Returns the index after its closing quote, or -1 when
   * the input ends inside it (it is then written as far as it goes, and closed).
   */
  protected string(q: number, context: number): number {
    const input = this.input;
    const n = this.n;
    const out = this.out;
    const quote = input[q]!;
    const start = this.o;
    this.resumed = false;
    if (quote === B.SingleQuote && (this.seen & Step.SingleQuotes) === 0) this.step(Step.SingleQuotes);
    let o = this.o;
    out[o++] = B.DoubleQuote;
    let j = q + 1;
    // "```json {…}```" as a value: the scanner may read the fenced block as data
    if (input[j] === B.Backtick) giveUp();
    let parens = 0;
    let escapeEnd = -1;
    for (;;) {
      if (j >= n) break;
      const c = input[j]!;
      if (BODY[c] === 0) {
        out[o++] = c;
        j++;
        continue;
      }
      if (c === quote) {
        out[o++] = B.DoubleQuote;
        this.o = o;
        this.parens = parens;
        return j + 1;
      }
      if (c === B.OpenParen) parens++;
      else if (c === B.CloseParen) {
        if (parens > 0) parens--;
      } else if (c === B.Backslash) {
        this.o = o;
        j = this.escape(j);
        o = this.o;
        escapeEnd = j;
        continue;
      } else if (c === B.DoubleQuote) {
        // the one place the output grows past the input: in place, it must stay behind the reading
        if (o >= j && this.inPlace) giveUp();
        out[o++] = B.Backslash;
      } else if (c >= 0x80) {
        const length = utf8Length(input, j);
        if (length === 0) giveUp();
        for (const end = j + length; j < end; j++) out[o++] = input[j]!;
        continue;
      } else if (c !== B.SingleQuote) giveUp(); // control characters, `{`, `[`: the scanner counts brackets inside strings
      out[o++] = c;
      j++;
    }
    this.o = o;
    this.parens = parens;
    return this.cut(q, context, start, escapeEnd);
  }

  /** The escape at `j` inside a string, written at this.o; returns where the string goes on. */
  private escape(j: number): number {
    const input = this.input;
    const out = this.out;
    let o = this.o;
    if (j + 1 >= this.n) giveUp();
    const e = input[j + 1]!;
    if (e === B.DoubleQuote || e === B.Backslash || e === 0x62 || e === 0x66 || e === 0x6e || e === 0x72 || e === 0x74) {
      out[o++] = B.Backslash;
      out[o++] = e;
    } else if (e === B.Slash) out[o++] = e;
    else if (e === B.SingleQuote) {
      // not a JSON escape: the scanner reads it as the quote itself
      this.step(Step.InvalidEscape);
      out[o++] = e;
    } else if (e === 0x75) {
      const unit = hex4(input, j + 2);
      if (unit < 0 || (unit >= 0xd800 && unit <= 0xdfff)) giveUp();
      o = writeUnit(out, o, unit);
      j += 4;
    } else giveUp();
    this.o = o;
    return j + 2;
  }

  /**
   * The end of the input inside the string opened at `q` (its body written from out[start + 1]). The scanner
   * keeps the text up to the cut, spaces included, unless a delimiter ends it: then the string ends at its
   * first delimiter and reading goes on from there, which the pass follows when that delimiter is the last
   * thing written. Returns where reading goes on, or -1 at the end of the input (the string closed).
   */
  private cut(q: number, context: number, start: number, escapeEnd: number): number {
    const out = this.out;
    // only the body as written is read here (in place, the input under it is gone); an escape in it would
    // make the written bytes differ from the text the scanner looks at, and a written escape last (`\n`) is
    // layout the scanner drops
    if (escapeEnd >= 0) giveUp();
    this.step(Step.Truncated);
    const from = start + 1;
    let k = this.o - 1;
    while (k >= from && out[k] === 0x20) k--;
    const c = k >= from ? out[k]! : 0;
    if (c >= 0x80) {
      if (isSpace(codePointBefore(out, k + 1))) giveUp();
    } else if (c === B.Comma || c === B.CloseBrace || c === B.CloseBracket || (c === B.Colon && context === Context.Key)) {
      // `"` written as `\"` would shift the body against the input: given up with the other backslashes
      for (let m = from; m < k; m++) if (cutDelimiter(out[m]!) || out[m] === B.Backslash || out[m]! >= 0x80) giveUp();
      let end = k;
      while (end > from && out[end - 1] === 0x20) end--;
      out[end] = B.DoubleQuote;
      this.o = end + 1;
      this.resumed = true;
      this.step(Step.MissingQuote);
      // reading goes on at the delimiter, the last thing in the input but blanks: in place it may have been
      // written over, so it is put back
      const at = q + (k - start);
      if (this.inPlace) {
        // the closing quote must not land on the delimiter still to be read
        if (end + 1 > at) giveUp();
        this.input[at] = c;
        this.input.fill(0x20, at + 1, this.n);
      }
      return at;
    } else if (c === B.Colon) {
      // a colon ends no value, but an earlier delimiter would have
      for (let m = from; m < k; m++) if (cutDelimiter(out[m]!)) giveUp();
    } else if (cutDelimiter(c)) giveUp();
    out[this.o++] = B.DoubleQuote;
    return -1;
  }
}
