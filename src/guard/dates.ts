/**
 * Dates compared as dates, whatever the spelling: `March 14, 2026`, `14 March 2026`, `14. März 2026`,
 * `2026-03-14`, `03/14/2026` (and `14/03/2026`), with month names in English, German, French, Spanish,
 * Italian and Portuguese. A date is a key `YYYY-MM-DD`, or `MM-DD` when no year is written.
 */

const MONTHS: Array<[number, string[]]> = [
  [1, ["january", "jan", "januar", "janvier", "enero", "gennaio", "janeiro"]],
  [2, ["february", "feb", "februar", "fevrier", "febrero", "febbraio", "fevereiro"]],
  [3, ["march", "mar", "marz", "mars", "marzo", "marco"]],
  [4, ["april", "apr", "avril", "abril", "aprile"]],
  [5, ["may", "mai", "mayo", "maggio", "maio"]],
  [6, ["june", "jun", "juni", "juin", "junio", "giugno", "junho"]],
  [7, ["july", "jul", "juli", "juillet", "julio", "luglio", "julho"]],
  [8, ["august", "aug", "aout", "agosto"]],
  [9, ["september", "sep", "sept", "septembre", "septiembre", "settembre", "setembro"]],
  [10, ["october", "oct", "oktober", "octobre", "octubre", "ottobre", "outubro"]],
  [11, ["november", "nov", "novembre", "noviembre", "novembro"]],
  [12, ["december", "dec", "dezember", "decembre", "diciembre", "dicembre", "dezembro"]],
];
const MONTH_OF = new Map(MONTHS.flatMap(([n, names]) => names.map((name) => [name, n] as const)));
const MONTH = `(${[...MONTH_OF.keys()].sort((a, b) => b.length - a.length).join("|")})(?![a-z])\\.?`;
const DAY = String.raw`(\d{1,2})(?:st|nd|rd|th|er|\.|º)?`;
const YEAR = String.raw`((?:19|20)\d{2})`;

// Month first ("March 14, 2026", "Mar 14"), day first ("14 March 2026", "14th of March", "14 de marzo de 2026"),
// numeric ISO ("2026-03-14") and slashed or dotted day/month/year in either order.
const MONTH_FIRST = new RegExp(String.raw`\b${MONTH}\s+${DAY}(?:,?\s+${YEAR})?(?!\d)`, "g");
const DAY_FIRST = new RegExp(String.raw`(?<!\d)${DAY}\s+(?:of\s+|de\s+)?${MONTH}(?:,?\s+(?:de\s+)?${YEAR})?(?!\d)`, "g");
const ISO = /(?<!\d)((?:19|20)\d{2})[-/.](\d{1,2})[-/.](\d{1,2})(?!\d)/g;
const NUMERIC = /(?<![\d.])(\d{1,2})[/.-](\d{1,2})[/.-]((?:19|20)\d{2})(?!\d)/g;

const fold = (s: string) => s.normalize("NFD").replace(/\p{M}/gu, "").toLowerCase();
const pad = (n: number) => String(n).padStart(2, "0");

function key(year: string | undefined, month: number | undefined, day: number): string | null {
  if (month === undefined || month < 1 || month > 12 || day < 1 || day > 31) return null;
  return year ? `${year}-${pad(month)}-${pad(day)}` : `${pad(month)}-${pad(day)}`;
}

/** The dates written in the text, as `YYYY-MM-DD` or `MM-DD` keys (an ambiguous `03/04/2026` gives both). */
export function extractDates(text: string): string[] {
  const t = fold(text);
  const out = new Set<string>();
  const add = (k: string | null) => k && out.add(k);
  for (const m of t.matchAll(MONTH_FIRST)) add(key(m[3], MONTH_OF.get(m[1] as string), Number(m[2])));
  for (const m of t.matchAll(DAY_FIRST)) add(key(m[3], MONTH_OF.get(m[2] as string), Number(m[1])));
  for (const m of t.matchAll(ISO)) add(key(m[1], Number(m[2]), Number(m[3])));
  for (const m of t.matchAll(NUMERIC)) {
    add(key(m[3], Number(m[1]), Number(m[2])));
    add(key(m[3], Number(m[2]), Number(m[1])));
  }
  return [...out];
}

/** True when a date in the output names a private date: the same day, and the same year when both give one. */
export function sameDate(output: string, secret: string): boolean {
  if (output === secret) return true;
  const monthDay = (k: string) => k.slice(-5);
  if (monthDay(output) !== monthDay(secret)) return false;
  return output.length === 5 || secret.length === 5;
}
