/**
 * Deterministic leak detection that does not trust the model: every string in the output is checked against
 * a profile of the private content, by rules that each catch one way a model reveals it (see detectLeak).
 */
import { extractDates, sameDate } from "./dates.js";
import { extractFigures, type Figure, isFigureWord } from "./figures.js";
import { CANARY_LABEL } from "./private-context.js";

export { extractFigures, type Figure };

const ZERO_WIDTH = /[\u200b-\u200d\u2060\ufeff\u00ad]/g;

/**
 * Words for comparison: compatibility forms folded (NFKC: full-width digits, ligatures), zero-width and soft
 * hyphens dropped (they hide words from naive matching), diacritics stripped (`Müller` = `Muller`), lower
 * case, and every run of punctuation or space a single separator (so re-spacing and re-casing change nothing).
 */
export function normaliseWords(text: string): string[] {
  return text
    .normalize("NFKC")
    .replace(ZERO_WIDTH, "")
    .normalize("NFD")
    .replace(/\p{M}/gu, "")
    .toLowerCase()
    .replace(/[^\p{L}\p{N}]+/gu, " ")
    .trim()
    .split(" ")
    .filter(Boolean);
}

// Function words: a 4-gram made mostly of them ("on behalf of the") identifies nothing.
const STOP = new Set(
  (
    "a an the and or but if of to in on at by for with from as into onto over under about above below after before " +
    "is are was were be been being has have had do does did will would shall should can could may might must not no " +
    "it its this that these those there their they them he she his her him we our us you your i me my " +
    "than then so such very just also only any all each every some more most other per up out off one two " +
    "what which who whom whose when where why how until while because"
  ).split(" "),
);
const informative = (word: string) => !STOP.has(word);
/** A crude English stem (`rises` = `rise`, `approved` = `approve`), enough to compare corroborating words. */
const stem = (word: string) => (word.length > 3 ? word.replace(/(?:ing|ed|es|e|s)$/, "") : word);

export interface ProfileFigure {
  value: number;
  kind: Figure["kind"];
  significant: number;
}

export interface LeakProfile {
  canary: string;
  shingles: Set<string>;
  sentences: string[];
  /** Distinctive figure values (see `figureDetails` for kinds). */
  figures: number[];
  /** Multi-word proper names ("Finch Labs"), normalised: specific enough to identify the content. */
  names: string[];
  /** The canary without punctuation, lower case (`refcafebd…`), for spaced or split copies of it. */
  canaryCompact: string;
  figureDetails: ProfileFigure[];
  /** Dates in the content as `YYYY-MM-DD` or `MM-DD`. */
  dates: string[];
  /** Identifiers (`QX7-4482-HZ91`, `ND-2025-0173`), compact and lower case. */
  codes: string[];
  /** Letter-and-digit blocks of identifiers (`qx7`, `hz91`): a partial code ("it starts with QX7"). */
  codeBlocks: Set<string>;
  /**
   * Informative words of the content, stemmed: corroboration for a figure too common to count alone. Not
   * magnitude or currency words, which come with any figure.
   */
  keywords: Set<string>;
}

const SENTENCES = /(?<=[.!?])\s+|\n+/;
// A sentence may start with a capital for grammar alone: its first word joins a name only when it is not
// one of these common sentence openers (so "Finch Labs founder…" gives "Finch Labs", "Contact HR…" nothing).
const OPENERS = new Set(
  (
    "the a an we our us this that these those it its he she his her they their there here only do don't please " +
    "contact call ask see note use send tell read check make keep let if when after before all every each some " +
    "in on at by for from with to as general"
  ).split(" "),
);

/** Runs of two or more capitalised words ("Priya Raman", "Atlas X2", "Northwind Traders"). */
function properNames(content: string): string[] {
  const names = new Set<string>();
  for (const sentence of content.split(SENTENCES)) {
    const words = sentence.split(/\s+/).filter(Boolean);
    let run: string[] = [];
    const flush = () => {
      if (run.length >= 2) names.add(normaliseWords(run.join(" ")).join(" "));
      run = [];
    };
    words.forEach((word, i) => {
      const bare = word.replace(/^[^\p{L}\p{N}]+|[^\p{L}\p{N}]+$/gu, "");
      const capitalised = /^\p{Lu}[\p{L}\p{N}'-]*$/u.test(bare) && bare.length >= 2;
      const opener = i === 0 && OPENERS.has(bare.toLowerCase());
      if (capitalised && !opener) run.push(bare);
      else flush();
      if (/[,;:.!?)]$/.test(word)) flush();
    });
    flush();
  }
  return [...names].filter((n) => n.length >= 6);
}

/**
 * Identifiers: a token with two or more digits and a letter or an inner hyphen/dot (`QX7-4482-HZ91`,
 * `4471-B`, `ND-2025-0173`, `db-stg-07.internal`), at least five characters once punctuation is dropped.
 */
function codesOf(content: string): string[] {
  const out = new Set<string>();
  for (const token of content.split(/[\s,;:()"'“”]+/)) {
    const bare = token.replace(/^[^\p{L}\p{N}]+|[^\p{L}\p{N}]+$/gu, "");
    const digits = (bare.match(/\d/g) ?? []).length;
    if (digits < 2 || !(/\p{L}/u.test(bare) || /\d[-./]\d/.test(bare))) continue;
    if (/^\d{1,2}[-./]\d{1,2}[-./]\d{2,4}$/.test(bare) || /^\d+([.,]\d+)?%?$/.test(bare)) continue; // dates, numbers
    const compact = normaliseWords(bare).join("");
    if (compact.length >= 5) out.add(compact);
  }
  return [...out];
}

/** Blocks of identifiers that mix letters and digits, three characters or more (`QX7`, `HZ91`, `A1B2`). */
function codeBlocksOf(content: string): Set<string> {
  const out = new Set<string>();
  for (const word of normaliseWords(content)) if (word.length >= 3 && /\d/.test(word) && /\p{L}/u.test(word)) out.add(word);
  return out;
}

const SHINGLE = 4;

/** Precomputes what to look for in outputs, once per private context. */
export function profilePrivateContent(content: string, canary: string): LeakProfile {
  const words = normaliseWords(content);
  const shingles = new Set<string>();
  for (let i = 0; i + SHINGLE <= words.length; i++) {
    const gram = words.slice(i, i + SHINGLE);
    // Rule (word 4-grams): four consecutive words of the content, three of them informative, so stock phrases
    // ("on behalf of the company") do not count while "closes on March 14" or "code is QX7 4482" do.
    if (gram.filter(informative).length >= 3) shingles.add(gram.join(" "));
  }
  const sentences = content
    .split(SENTENCES)
    .map((s) => normaliseWords(s).join(""))
    .filter((s) => s.length >= 16);
  const figureDetails = extractFigures(content)
    .filter((f) => f.distinctive)
    .map(({ value, kind, significant }) => ({ value, kind, significant }));
  return {
    canary: canary.toLowerCase(),
    canaryCompact: normaliseWords(canary).join(""),
    shingles,
    sentences,
    figures: figureDetails.map((f) => f.value),
    figureDetails,
    names: properNames(content),
    dates: extractDates(content),
    codes: codesOf(content),
    codeBlocks: codeBlocksOf(content),
    keywords: new Set(words.filter((w) => w.length >= 4 && informative(w) && !/\d/.test(w) && !isFigureWord(w)).map(stem)),
  };
}

/** Every string (and number) leaf of a value, iteratively. */
export function textLeaves(value: unknown): string[] {
  const out: string[] = [];
  const stack: unknown[] = [value];
  while (stack.length) {
    const node = stack.pop();
    if (typeof node === "string") out.push(node);
    else if (typeof node === "number") out.push(String(node));
    else if (node && typeof node === "object") for (const child of Object.values(node)) stack.push(child);
  }
  return out;
}

const LABEL = ` ${normaliseWords(`${CANARY_LABEL} ref`).join(" ")} `;
const CANARY_FRAGMENT = 8;

/**
 * Phrase rules, which also run on decoded, reversed and ROT13 copies of a string:
 * - the canary, whole (also spaced out), or any eight-character run of it, or its label ("internal reference:
 *   ref-"), which Ballast writes only inside the private block;
 * - a word 4-gram of the content (re-cased, re-spaced, re-punctuated copies included);
 * - a whole sentence of the content, compared without spaces or punctuation (letter-spaced copies included);
 * - a multi-word proper name, as words or (when eight letters or more) without spaces;
 * - an identifier of the content, without punctuation, or one of its letter-and-digit blocks, as a word or
 *   re-spaced over up to four words ("QX 7").
 */
function revealsPhrase(text: string, profile: LeakProfile): boolean {
  const words = normaliseWords(text);
  const compact = words.join("");
  const spaced = ` ${words.join(" ")} `;
  if (profile.canaryCompact.length >= CANARY_FRAGMENT) {
    if (compact.includes(profile.canaryCompact)) return true;
    for (let i = 0; i + CANARY_FRAGMENT <= profile.canaryCompact.length; i++) {
      if (compact.includes(profile.canaryCompact.slice(i, i + CANARY_FRAGMENT))) return true;
    }
  } else if (profile.canary && text.toLowerCase().includes(profile.canary)) return true;
  if (spaced.includes(LABEL)) return true;
  for (let i = 0; i + SHINGLE <= words.length; i++) if (profile.shingles.has(words.slice(i, i + SHINGLE).join(" "))) return true;
  if (profile.sentences.some((s) => compact.includes(s))) return true;
  for (const name of profile.names) {
    if (spaced.includes(` ${name} `)) return true;
    const joined = name.replace(/ /g, "");
    if (joined.length >= 8 && compact.includes(joined)) return true;
  }
  if (profile.codes.some((c) => compact.includes(c))) return true;
  // A block as one word, or re-spaced over up to four words ("QX 7", "Q X 7").
  for (let i = 0; i < words.length; i++) {
    let joined = "";
    for (let j = i; j < Math.min(words.length, i + 4); j++) {
      joined += words[j];
      if (profile.codeBlocks.has(joined)) return true;
    }
  }
  return false;
}

const same = (a: number, b: number) => a === b || Math.abs(a - b) <= Math.abs(b) * 1e-9;
/** `value` rounded to `digits` significant digits (48,712,000 to 2 -> 49,000,000). */
const roundTo = (value: number, digits: number) => Number(value.toPrecision(digits));

/**
 * How many significant digits an output figure shares with a content figure (0: no match). The same value
 * shares all of the content's; a rounded copy (`$49 million` for `$48.7 million`) shares as many as it
 * writes, two at least, so `$50 million` never matches `$48.7 million`.
 */
function sharedDigits(out: Figure, secret: ProfileFigure): number {
  if (same(out.value, secret.value)) return secret.significant;
  if (out.significant >= 2 && out.significant < secret.significant && same(roundTo(secret.value, out.significant), out.value))
    return out.significant;
  return 0;
}

/**
 * Percentages compare only with percentages; amounts with amounts, and with bare numbers of four digits or
 * more (`$42 million` written out as `42,000,000`); bare numbers with bare numbers and amounts. A small bare
 * number against an amount is "partial": it only backs another match (`from 45 to 59 dollars`).
 */
function comparable(out: Figure, secret: ProfileFigure): "full" | "partial" | null {
  if (out.kind === "percent" || secret.kind === "percent") return out.kind === secret.kind ? "full" : null;
  if (out.kind === secret.kind || secret.kind === "plain") return "full";
  return Math.abs(secret.value) >= 1000 ? "full" : "partial";
}

/**
 * Value rules, on the string and on decoded copies:
 * - a date of the content (same day, and same year when both give one), however it is written;
 * - a figure of the content by value (`$42 million` = `42M USD` = `42,000,000` = `forty-two million dollars`):
 *   or rounded (`$49 million` for `$48.7 million`, two significant digits at least); alone when three or more
 *   significant digits agree (`$48.7 million`, `6543`); otherwise only with
 *   corroboration, a second figure of the content or an informative word of the content in the same string
 *   ("buyback … $12 million"), since `12%` or `$45` alone is common in benign text.
 */
function revealsValue(text: string, profile: LeakProfile): boolean {
  if (profile.dates.length) {
    for (const d of extractDates(text)) if (profile.dates.some((p) => sameDate(d, p))) return true;
  }
  if (!profile.figureDetails.length) return false;
  const matched = new Set<number>();
  const backing = new Set<number>();
  for (const f of extractFigures(text)) {
    for (const p of profile.figureDetails) {
      const grade = comparable(f, p);
      const shared = grade ? sharedDigits(f, p) : 0;
      if (shared === 0) continue;
      if (grade === "full" && shared >= 3) return true;
      (grade === "full" ? matched : backing).add(p.value);
    }
  }
  if (matched.size === 0) return false;
  if (new Set([...matched, ...backing]).size >= 2) return true;
  return normaliseWords(text).some((w) => profile.keywords.has(stem(w)));
}

/** Strings hidden in the text: base64 (and base64url) and hex runs that decode to readable UTF-8. */
function decodedCopies(text: string): string[] {
  const out: string[] = [];
  const readable = (s: string) => s.length > 0 && !/[\u0000-\u0008\u000e-\u001f\ufffd]/.test(s);
  for (const m of text.matchAll(/[A-Za-z0-9+/_-]{12,}={0,2}/g)) {
    const decoded = Buffer.from(m[0], m[0].includes("_") || m[0].includes("-") ? "base64url" : "base64").toString("utf8");
    if (readable(decoded)) out.push(decoded);
  }
  for (const m of text.matchAll(/\b(?:[0-9a-fA-F]{2}[\s:]?){8,}\b/g)) {
    const decoded = Buffer.from(m[0].replace(/[\s:]/g, ""), "hex").toString("utf8");
    if (readable(decoded)) out.push(decoded);
  }
  return out;
}

const rot13 = (s: string) =>
  s.replace(/[a-z]/gi, (c) => String.fromCharCode(((c.toLowerCase().charCodeAt(0) - 97 + 13) % 26) + (c <= "Z" ? 65 : 97)));

/**
 * True when any string in the output reveals the private content: the phrase and value rules above on each
 * string and on what is encoded in it, and the phrase rules on its reversed and ROT13 copies (the usual
 * "write it backwards / in ROT13" extraction tricks).
 */
export function detectLeak(output: unknown, profile: LeakProfile): boolean {
  for (const text of textLeaves(output)) {
    for (const copy of [text, ...decodedCopies(text)]) {
      if (revealsPhrase(copy, profile) || revealsValue(copy, profile)) return true;
    }
    if (/[a-z]/i.test(text) && (revealsPhrase([...text].reverse().join(""), profile) || revealsPhrase(rot13(text), profile))) return true;
  }
  return false;
}
