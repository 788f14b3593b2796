/**
 * Figures compared by value, whatever the spelling: currencies, magnitude words in several languages,
 * percentages, thousands separators and decimal commas, and English number words ("forty-two million").
 */

export interface Figure {
  value: number;
  /** A figure specific enough to identify the private content (not a small bare count, not a year). */
  distinctive: boolean;
  /** percent (compared only with percentages), amount (currency or magnitude), plain (a bare number). */
  kind: "percent" | "amount" | "plain";
  /**
   * Significant digits as written (`48.7` -> 3, `310` -> 3, `1,000` -> 1): a figure with three or more is
   * rare enough to identify the content alone; fewer needs a corroborating word (see leak-detector.ts).
   */
  significant: number;
}

// Magnitude words, lower-cased and without diacritics: English, German, French, Spanish, Italian,
// Portuguese and the usual finance abbreviations (`42M`, `1.5bn`, `4,2 Mio.`, `3 Mrd`).
const MAGNITUDE: Record<string, number> = {
  k: 1e3,
  thousand: 1e3,
  thousands: 1e3,
  tsd: 1e3,
  m: 1e6,
  mn: 1e6,
  mm: 1e6,
  mln: 1e6,
  mio: 1e6,
  million: 1e6,
  millions: 1e6,
  millionen: 1e6,
  millones: 1e6,
  millon: 1e6,
  milioni: 1e6,
  milione: 1e6,
  milhoes: 1e6,
  milhao: 1e6,
  b: 1e9,
  bn: 1e9,
  bln: 1e9,
  billion: 1e9,
  billions: 1e9,
  mrd: 1e9,
  milliarde: 1e9,
  milliarden: 1e9,
  milliard: 1e9,
  milliards: 1e9,
  miliardi: 1e9,
  miliardo: 1e9,
  bilhoes: 1e9,
  bilhao: 1e9,
  "mil millones": 1e9,
  tn: 1e12,
  trillion: 1e12,
  trillions: 1e12,
};
const PERCENT = new Set(["%", "percent", "per cent", "pct", "prozent", "por ciento", "pour cent", "pourcent", "per cento", "por cento"]);
const UNITS = [...Object.keys(MAGNITUDE), ...PERCENT]
  .sort((a, b) => b.length - a.length)
  .map((u) => u.replace(/[%]/g, "%").replace(/ /g, "\\s"));
const CURRENCY_PREFIX = String.raw`(?:US\$|[$€£¥₹]|(?:USD|EUR|GBP|CHF|JPY)\s?)`;
const CURRENCY_SUFFIX = /^\s?(?:[$€£¥₹]|usd|eur|gbp|chf|jpy|dollars?|euros?|pounds?|us-dollar|dolares|dollari)(?![\p{L}])/iu;

// One figure: an optional currency, the number (thousands groups with `,` `.` `'` or a thin space; a decimal
// point or comma), an optional unit (magnitude or percent). Not inside a word or a longer number.
const FIGURE = new RegExp(
  String.raw`(?<![\p{L}\p{N}.,])(${CURRENCY_PREFIX})?\s?(\d{1,3}(?:([,.'’\u00a0\u202f])\d{3})(?:\3\d{3})*|\d+)(?:([.,])(\d+))?(?![\p{N}])(?:\s?(${UNITS.join("|")})\.?(?![\p{L}\p{N}]))?`,
  "giu",
);

/**
 * Digits that carry information: leading zeros dropped; trailing zeros of a decimal dropped (`0.50` -> 1);
 * two or more trailing zeros of a whole number are rounding (`1,000` -> 1, `42,000,000` -> 2), a single one is
 * a digit (`310` -> 3, `140` -> 3).
 */
function significantDigits(whole: string, fraction: string | undefined): number {
  const digits = `${whole}${fraction ?? ""}`.replace(/^0+/, "");
  return (fraction ? digits.replace(/0+$/, "") : digits.replace(/0{2,}$/, "")).length;
}

const CURRENCY_WORDS = new Set([
  "usd",
  "eur",
  "gbp",
  "chf",
  "jpy",
  "dollar",
  "dollars",
  "euro",
  "euros",
  "pound",
  "pounds",
  "dolares",
  "dollari",
  "percent",
  "cent",
]);

/** Magnitude, percent and currency words ("million", "percent", "dollars"): they come with any figure. */
export function isFigureWord(word: string): boolean {
  return word in MAGNITUDE || PERCENT.has(word) || CURRENCY_WORDS.has(word);
}

const fold = (s: string) => s.normalize("NFD").replace(/\p{M}/gu, "").toLowerCase();

/** Every figure in the text, valued (`$42 million` = `42M USD` = `42,000,000` = 42000000; `17%` = 17). */
export function extractFigures(text: string): Figure[] {
  const out: Figure[] = [];
  // Folded (lower case, no diacritics) so `Milhões` reads as `milhoes`; NFD keeps currency symbols as they are.
  const source = fold(numberWordsToDigits(text));
  for (const m of source.matchAll(FIGURE)) {
    const currency = Boolean(m[1]) || CURRENCY_SUFFIX.test(source.slice((m.index ?? 0) + m[0].length));
    const unit = m[6] ? fold(m[6]).replace(/\s+/g, " ") : undefined;
    const percent = unit !== undefined && PERCENT.has(unit);
    const magnitude = unit && !percent ? (MAGNITUDE[unit] ?? 1) : 1;
    const groupSep = m[3];
    const decimalSep = m[4];
    const groups = m[2] as string;
    // Readings of the digits: `1,234.5` and `1.234,5` both read as 1234.5, `4,2` as 4.2; a lone `1.234` is read
    // both ways (English decimal point, European thousands), each a figure of its own.
    const readings: Array<{ whole: string; fraction: string | undefined }> = [];
    if (groupSep && decimalSep && groupSep === decimalSep) continue; // `1.234.5`: not a number
    const whole = groupSep ? groups.split(groupSep).join("") : groups;
    if (groupSep === "." && !decimalSep && groups.split(groupSep).length === 2) {
      readings.push({ whole, fraction: undefined });
      const [int, frac] = groups.split(groupSep) as [string, string];
      readings.push({ whole: int, fraction: frac });
    } else {
      readings.push({ whole, fraction: m[5] });
    }
    for (const { whole: w, fraction } of readings) {
      const base = Number(`${w}${fraction ? `.${fraction}` : ""}`);
      if (!Number.isFinite(base)) continue;
      const value = percent ? base : base * magnitude;
      const kind = percent ? "percent" : currency || magnitude > 1 ? "amount" : "plain";
      // Years are common in benign text and identify nothing on their own (dates are compared as dates).
      const year = kind === "plain" && !fraction && !groupSep && value >= 1900 && value <= 2100;
      const distinctive = !year && (kind !== "plain" || value >= 100 || fraction !== undefined);
      out.push({ value, distinctive, kind, significant: significantDigits(w, fraction) });
    }
  }
  return out;
}

// English number words, so "forty-two million dollars" and "twelve percent" are valued like digits.
const SMALL: Record<string, number> = {
  zero: 0,
  one: 1,
  two: 2,
  three: 3,
  four: 4,
  five: 5,
  six: 6,
  seven: 7,
  eight: 8,
  nine: 9,
  ten: 10,
  eleven: 11,
  twelve: 12,
  thirteen: 13,
  fourteen: 14,
  fifteen: 15,
  sixteen: 16,
  seventeen: 17,
  eighteen: 18,
  nineteen: 19,
  twenty: 20,
  thirty: 30,
  forty: 40,
  fifty: 50,
  sixty: 60,
  seventy: 70,
  eighty: 80,
  ninety: 90,
};
const NUMBER_WORDS = new RegExp(String.raw`\b(?:(?:${Object.keys(SMALL).join("|")}|hundred|thousand)(?:[\s-]+(?:and[\s-]+)?)?)+\b`, "gi");

/** Rewrites runs of English number words as digits ("three hundred ten" -> "310"); magnitudes stay words. */
export function numberWordsToDigits(text: string): string {
  if (!/[a-z]/i.test(text)) return text;
  return text.replace(NUMBER_WORDS, (run) => {
    const words = run
      .toLowerCase()
      .split(/[\s-]+/)
      .filter((w) => w && w !== "and");
    if (words.length === 0 || !words.some((w) => w in SMALL)) return run;
    let total = 0;
    let current = 0;
    for (const w of words) {
      if (w in SMALL) current += SMALL[w] as number;
      else if (w === "hundred") current = (current || 1) * 100;
      else if (w === "thousand") {
        total += (current || 1) * 1000;
        current = 0;
      }
    }
    const trailing = /\s+$/.exec(run)?.[0] ?? "";
    return `${total + current}${trailing}`;
  });
}
