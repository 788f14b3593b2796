/** Text folding for fuzzy matching: case, accents, punctuation and spacing drift.
 * Enum values, const strings and object keys are compared through these word lists. */

const LIGATURES: Record<string, string> = {
  ß: "ss",
  æ: "ae",
  œ: "oe",
  ø: "o",
  ł: "l",
  đ: "d",
  ı: "i",
  Æ: "AE",
  Œ: "OE",
  Ø: "O",
  Ł: "L",
  Đ: "D",
};

/** "Señor Müller" -> "Senor Muller"; "Straße" -> "Strasse". */
export function stripAccents(text: string): string {
  return text
    .normalize("NFKD")
    .replace(/\p{M}+/gu, "")
    .replace(/[ßæœøłđıÆŒØŁĐ]/g, (c) => LIGATURES[c] ?? c)
    .normalize("NFC");
}

/** Longer strings are not read as prose answers (an enum word in a 10 MB reply means nothing; scanning it costs). */
export const MAX_PROSE_CHARS = 100_000;

/** How far a comparison folds: 1 keeps case and accents, 2 ignores case, 3 also ignores accents. */
export type FoldLevel = 1 | 2 | 3;

/** Splits text into word tokens (runs of letters and digits), folded to the given level. */
export function words(text: string, level: FoldLevel, splitCamel = false): string[] {
  let s = level === 3 ? stripAccents(text) : text;
  if (splitCamel) s = s.replace(/(\p{Ll})(\p{Lu})/gu, "$1 $2");
  if (level >= 2) s = s.toLowerCase();
  return s.split(/[^\p{L}\p{N}]+/u).filter((w) => w.length > 0);
}

/** The canonical spelling of a key: "Full Name", "full_name", "fullName" and " full-name " all give "full name". */
export function foldKey(key: string): string {
  return cached(folded, key, () => words(key, 3, true).join(" "));
}

/** Like foldKey, without separators: "fullname" matches "full_name". */
export function squashKey(key: string): string {
  return cached(squashed, key, () => words(key, 3, true).join(""));
}

const folded = new Map<string, string>();
const squashed = new Map<string, string>();
const CACHE_LIMIT = 20_000;

/** Keys repeat across the records of a reply; remember their folded forms (bounded). */
function cached(table: Map<string, string>, key: string, compute: () => string): string {
  let v = table.get(key);
  if (v === undefined) {
    if (table.size >= CACHE_LIMIT) table.clear();
    v = compute();
    table.set(key, v);
  }
  return v;
}
