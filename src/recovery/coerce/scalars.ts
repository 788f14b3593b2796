/** Reads numbers and booleans out of strings the way a model writes them ("12,111", "105,12", "$1,200", "1/5", "**True**").
 * Whole-string readings are cheap; a single number or boolean mentioned in prose is a costlier reading. */
import { PROSE_SCALAR, SCALAR } from "./costs.js";
import { MAX_PROSE_CHARS } from "./text-fold.js";

export interface Reading<T> {
  value: T;
  cost: number;
}

const PLAIN = /^[+-]?(?:\d+\.?\d*|\.\d+)(?:e[+-]?\d+)?$/i;
const GROUPED = /^[+-]?\d{1,3}(?:,\d{3})+(?:\.\d+)?$/;
/** A decimal comma: a group after the comma that is not three digits cannot be a thousands group. */
const DECIMAL_COMMA = /^[+-]?\d+,(?:\d{1,2}|\d{4,})$/;
const FRACTION = /^([+-]?\d+(?:\.\d+)?)\s*\/\s*(\d+(?:\.\d+)?)$/;
const CURRENCY = /^([+-]?)\s*[$€£¥]\s*|\s*[$€£¥]$/g;
const IN_PROSE = /(?<![\p{L}\p{N}.,/_-])[+-]?(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?(?![\p{L}\p{N}/_]|[.,]\d)/gu;

/** A number from a whole string, or from the only number mentioned in it. */
export function readNumber(text: string): Reading<number> | null {
  if (text.length > MAX_PROSE_CHARS) return null;
  const whole = readWholeNumber(text);
  if (whole !== null) return { value: whole, cost: SCALAR };
  const found = text.match(IN_PROSE);
  if (found?.length !== 1) return null;
  const value = readWholeNumber(found[0]);
  return value === null ? null : { value, cost: PROSE_SCALAR };
}

/** Why a string gave no number or boolean: it offered several, or none. */
export function ambiguity(text: string): string | null {
  if (text.length > MAX_PROSE_CHARS) return null;
  if ((text.match(IN_PROSE)?.length ?? 0) > 1) return "ambiguous: mentions several numbers";
  const tokens = text.toLowerCase().split(/[^\p{L}\p{N}]+/u);
  if (tokens.includes("true") && tokens.includes("false")) return "ambiguous: says both true and false";
  return null;
}

function readWholeNumber(text: string): number | null {
  let s = text
    .trim()
    .replace(/[.,;!]$/, "")
    .trim();
  s = s.replace(CURRENCY, "$1");
  let value: number;
  if (PLAIN.test(s)) value = Number(s);
  else if (GROUPED.test(s)) value = Number(s.replace(/,/g, ""));
  else if (DECIMAL_COMMA.test(s)) value = Number(s.replace(",", "."));
  else {
    const f = FRACTION.exec(s);
    if (!f) return null;
    value = Number(f[1]) / Number(f[2]);
  }
  return Number.isFinite(value) ? value : null;
}

const TRUE_WORDS = new Set(["true", "yes"]);
const FALSE_WORDS = new Set(["false", "no"]);

/** A boolean from "true"/"yes"/"1"-like strings, or from prose that says only one of true and false. */
export function readBoolean(text: string): Reading<boolean> | null {
  if (text.length > MAX_PROSE_CHARS) return null;
  const tokens = text
    .toLowerCase()
    .split(/[^\p{L}\p{N}]+/u)
    .filter(Boolean);
  if (tokens.length === 1) {
    const t = tokens[0] as string;
    if (TRUE_WORDS.has(t) || t === "1") return { value: true, cost: SCALAR };
    if (FALSE_WORDS.has(t) || t === "0") return { value: false, cost: SCALAR };
  }
  const sawTrue = tokens.includes("true");
  const sawFalse = tokens.includes("false");
  if (sawTrue === sawFalse) return null;
  return { value: sawTrue, cost: PROSE_SCALAR };
}
