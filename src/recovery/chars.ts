/**
 * Character classes shared by the repair scanner and the incremental parser: quotes (straight and smart),
 * whitespace (including the Unicode spaces and zero-width marks models emit), delimiters and identifier chars.
 */

export const enum Code {
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

/** JSON whitespace plus the Unicode spaces, BOM and zero-width characters found around model output. */
export function isSpace(c: number): boolean {
  if (c <= 0x20) return c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09 || c === 0x0b || c === 0x0c;
  if (c < 0xa0) return false;
  return (
    c === 0xa0 ||
    c === 0x1680 ||
    c === 0x180e ||
    (c >= 0x2000 && c <= 0x200d) ||
    c === 0x2028 ||
    c === 0x2029 ||
    c === 0x202f ||
    c === 0x205f ||
    c === 0x2060 ||
    c === 0x3000 ||
    c === 0xfeff
  );
}

export function isDigit(c: number): boolean {
  return c >= 0x30 && c <= 0x39;
}

export function isHexDigit(c: number): boolean {
  return (c >= 0x30 && c <= 0x39) || (c >= 0x41 && c <= 0x46) || (c >= 0x61 && c <= 0x66);
}

export function isIdentifierChar(c: number): boolean {
  return (
    (c >= 0x61 && c <= 0x7a) ||
    (c >= 0x41 && c <= 0x5a) ||
    (c >= 0x30 && c <= 0x39) ||
    c === 0x5f ||
    c === 0x24 ||
    (c > 0x7f && !isSpace(c) && !isQuote(c))
  );
}

export function isDoubleQuoteLike(c: number): boolean {
  return c === 0x22 || c === 0x201c || c === 0x201d || c === 0x201e || c === 0x201f || c === 0x2033;
}

export function isSingleQuoteLike(c: number): boolean {
  return c === 0x27 || c === 0x2018 || c === 0x2019 || c === 0x201a || c === 0x201b || c === 0x60 || c === 0xb4 || c === 0x2032;
}

export function isQuote(c: number): boolean {
  return isDoubleQuoteLike(c) || isSingleQuoteLike(c);
}

// shared matchers: one function each rather than a fresh closure per string scanned
const isStraightDoubleQuote = (c: number): boolean => c === 0x22;
const isStraightSingleQuote = (c: number): boolean => c === 0x27;

/** Which characters may close a string opened with `open`: straight quotes only match themselves. */
export function endQuoteMatcher(open: number): (c: number) => boolean {
  if (open === 0x22) return isStraightDoubleQuote;
  if (open === 0x27) return isStraightSingleQuote;
  if (isSingleQuoteLike(open)) return isSingleQuoteLike;
  return isDoubleQuoteLike;
}

export function isCloser(c: number): boolean {
  return c === 0x7d || c === 0x5d || c === 0x29;
}

/** A value start that is unambiguously JSON-ish (used to decide whether trailing text is another value). */
export function isValueStart(c: number): boolean {
  return c === 0x7b || c === 0x5b || isQuote(c) || isDigit(c) || c === 0x2d || c === 0x2e;
}
