/**
 * Extraction: finds where the JSON a model meant sits in its reply (code fences, <think> blocks, prose,
 * double-encoded text) and hands the scanner the spans to read, each tagged with the steps it took.
 */
import { Code, isIdentifierChar, isSpace, isValueStart } from "./chars.js";

export interface Span {
  text: string;
  steps: string[];
  /** Prose surrounds the JSON: every `{`/`[` is a candidate start and trailing text is ignored. */
  prose: boolean;
}

const THINK = /<(think|thinking|reasoning|scratchpad)>[\s\S]*?<\/\1>/gi;
const KEYWORDS = new Set(["true", "false", "null", "none", "undefined", "nan", "infinity"]);

/** The spans worth scanning, most likely first. Linear in the text length. */
export function extractSpans(input: string): Span[] {
  const steps: string[] = [];
  let text = input;
  if (text.includes("<")) {
    const stripped = text.replace(THINK, "");
    if (stripped !== text) {
      steps.push("think");
      text = stripped;
    }
  }
  const fenced = fenceBodies(text);
  if (fenced !== null) return fenced.map((body) => ({ text: body, steps: [...steps, "fence"], prose: false }));
  const trimmed = text.trim();
  // a lone closing fence at the very end (the opening one was lost)
  if (trimmed.endsWith("```") && trimmed.indexOf("```") === trimmed.length - 3) {
    text = trimmed.slice(0, -3);
    steps.push("fence");
  }
  const first = firstSignificant(text);
  if (first < 0) return [{ text, steps, prose: false }];
  const c = text.charCodeAt(first);
  if (c === Code.Backslash && /^\\"|^[{[]\s*\\"/.test(text.slice(first, first + 4))) {
    steps.push("double_encoded");
    return [{ text: unescapeOnce(text), steps, prose: false }];
  }
  if ((c === Code.OpenBrace || c === Code.OpenBracket) && text.startsWith('\\"', firstSignificant(text, first + 1))) {
    steps.push("double_encoded");
    return [{ text: unescapeOnce(text), steps, prose: false }];
  }
  if (startsWithProse(text, first)) {
    const opener = firstOpener(text, first);
    if (opener >= 0) return [{ text: text.slice(opener), steps: [...steps, "prose"], prose: true }];
  }
  return [{ text, steps, prose: false }];
}

function firstSignificant(text: string, from = 0): number {
  let i = from;
  while (i < text.length && isSpace(text.charCodeAt(i))) i++;
  return i < text.length ? i : -1;
}

function firstOpener(text: string, from: number): number {
  const brace = text.indexOf("{", from);
  const bracket = text.indexOf("[", from);
  if (brace < 0) return bracket;
  if (bracket < 0) return brace;
  return Math.min(brace, bracket);
}

/** Does the reply open with words rather than a JSON value, a keyword, a comment or a call like f(…)? */
function startsWithProse(text: string, first: number): boolean {
  const c = text.charCodeAt(first);
  if (c === Code.Minus) {
    const d = text.charCodeAt(first + 1);
    return !(d >= 0x30 && d <= 0x39) && d !== Code.Dot && d !== 0x49;
  }
  if (isValueStart(c) || c === Code.OpenParen || c === Code.Slash || c === Code.Hash) return false;
  if (!isIdentifierChar(c)) return true;
  let j = first;
  while (j < text.length && (isIdentifierChar(text.charCodeAt(j)) || text.charCodeAt(j) === Code.Dot)) j++;
  if (KEYWORDS.has(text.slice(first, j).toLowerCase())) return false;
  while (j < text.length && (text.charCodeAt(j) === Code.Space || text.charCodeAt(j) === Code.Tab)) j++;
  return text.charCodeAt(j) !== Code.OpenParen;
}

/**
 * Bodies of markdown code fences, when the reply is fenced rather than JSON that merely mentions ``` inside
 * a string. Returns null when there is no fence to honour. An unterminated last fence runs to the end.
 */
function fenceBodies(text: string): string[] | null {
  const open = text.indexOf("```");
  if (open < 0) return null;
  const before = text.slice(0, open).trim();
  const lead = before.charCodeAt(0);
  const leadIsJson = (lead === Code.OpenBrace || lead === Code.OpenBracket || lead === Code.DoubleQuote) && before.length > 1;
  // JSON that merely contains a fence, or a fence used as a value ("code": ```...```)
  if (leadIsJson || (before.endsWith(":") && before.includes("{"))) return null;
  const bodies: string[] = [];
  const lineCloser = /\n[ \t]*(`{3,})[ \t]*(?=\r?\n|$)/g;
  let lineClosers = true;
  let i = open;
  while (i >= 0 && i < text.length) {
    let j = i + 3;
    while (text.charCodeAt(j) === Code.Backtick) j++;
    while (j < text.length && (isIdentifierChar(text.charCodeAt(j)) || text.charCodeAt(j) === Code.Minus)) j++;
    // prefer a closing fence on a line of its own; fall back to the next ``` anywhere (inline fences)
    lineCloser.lastIndex = j;
    const line = lineClosers ? lineCloser.exec(text) : null;
    if (line === null) lineClosers = false;
    const inline = text.indexOf("```", j);
    let bodyEnd: number;
    let next: number;
    if (line !== null) {
      bodyEnd = line.index;
      next = line.index + line[0].length;
    } else if (inline >= 0) {
      bodyEnd = inline;
      next = inline + 3;
    } else {
      bodyEnd = text.length;
      next = -1;
    }
    const body = text.slice(j, bodyEnd);
    if (body.trim() !== "") bodies.push(body);
    if (next < 0) break;
    i = text.indexOf("```", next);
  }
  return bodies.length > 0 ? bodies : null;
}

/** One level of JSON string escaping removed: `{\"a\": \"b\"}` becomes `{"a": "b"}`. */
function unescapeOnce(text: string): string {
  const body = text.endsWith("\\") && !text.endsWith("\\\\") ? text.slice(0, -1) : text;
  return body.replace(/\\(["\\/])/g, "$1");
}
