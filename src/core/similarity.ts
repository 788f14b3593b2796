/**
 * Token-set similarity (Jaccard over normalised word sets) and the medoid of a set of texts: used to pick
 * the most agreed-with long answer (Best-of-N) and to cluster similar complaints (prompt feedback in the
 * trace store and the dashboard). Also the edit distance of two short strings (near-duplicate enum values,
 * "did you mean" for a misspelt option).
 */

const STOP = new Set([
  "a",
  "an",
  "the",
  "and",
  "or",
  "of",
  "to",
  "in",
  "on",
  "is",
  "are",
  "it",
  "be",
  "for",
  "with",
  "this",
  "that",
  "as",
  "at",
  "by",
  "i",
  "was",
  "were",
]);

/** Lower-cased word set without punctuation, stop words or a plural "s". */
export function tokenSet(text: string): Set<string> {
  const words = text
    .toLowerCase()
    .normalize("NFKD")
    .replace(/[^\p{L}\p{N}\s]+/gu, " ")
    .split(/\s+/);
  const out = new Set<string>();
  for (const w of words) {
    if (!w || STOP.has(w)) continue;
    out.add(w.length > 3 && w.endsWith("s") && !w.endsWith("ss") ? w.slice(0, -1) : w);
  }
  return out;
}

/** |A ∩ B| / |A ∪ B|; two empty sets are identical (1). */
export function jaccard(a: ReadonlySet<string>, b: ReadonlySet<string>): number {
  if (a.size === 0 && b.size === 0) return 1;
  let shared = 0;
  for (const t of a) if (b.has(t)) shared++;
  return shared / (a.size + b.size - shared);
}

export function textSimilarity(a: string, b: string): number {
  return jaccard(tokenSet(a), tokenSet(b));
}

/** Index of the text most similar on average to the others, and that mean similarity (1 for a single text). */
export function medoid(texts: readonly string[]): { index: number; agreement: number } {
  if (texts.length <= 1) return { index: 0, agreement: 1 };
  const sets = texts.map(tokenSet);
  let best = { index: 0, agreement: -1 };
  for (let i = 0; i < sets.length; i++) {
    let sum = 0;
    for (let j = 0; j < sets.length; j++) if (i !== j) sum += jaccard(sets[i]!, sets[j]!);
    const mean = sum / (sets.length - 1);
    if (mean > best.agreement) best = { index: i, agreement: mean };
  }
  return best;
}

/** Levenshtein distance: the fewest single-character insertions, deletions and substitutions from `a` to `b`. */
export function editDistance(a: string, b: string): number {
  let prev = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    const cur = [i];
    for (let j = 1; j <= b.length; j++) cur[j] = Math.min(prev[j]! + 1, cur[j - 1]! + 1, prev[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1));
    prev = cur;
  }
  return prev[b.length]!;
}
