/** Finds which of several allowed spellings a string means: whole-string equality, then mentions in prose.
 * Matching tightens case first, then ignores case, then accents; a tie at the first level that matches is ambiguous. */
import { type FoldLevel, MAX_PROSE_CHARS, words } from "./text-fold.js";

export interface Spelling {
  /** Which allowed value this spelling stands for. */
  id: number;
  text: string;
}

export type WordMatch =
  | { kind: "exact"; id: number; level: FoldLevel }
  | { kind: "mention"; id: number; level: FoldLevel }
  | { kind: "ambiguous"; ids: number[] }
  | { kind: "none" };

const LEVELS: FoldLevel[] = [1, 2, 3];

/** Matches `text` against the spellings; a mention wins only when it occurs more often than any other. */
export function matchWords(text: string, spellings: readonly Spelling[]): WordMatch {
  if (text.length > MAX_PROSE_CHARS) return { kind: "none" };
  for (const level of LEVELS) {
    const hay = words(text, level);
    if (hay.length === 0) return { kind: "none" };
    const joined = hay.join(" ");
    const needles = spellings.map((s) => ({ id: s.id, tokens: words(s.text, level) })).filter((n) => n.tokens.length > 0);
    const exact = new Set(needles.filter((n) => n.tokens.join(" ") === joined).map((n) => n.id));
    if (exact.size === 1) return { kind: "exact", id: [...exact][0] as number, level };
    if (exact.size > 1) return { kind: "ambiguous", ids: [...exact] };
    const counts = countMentions(hay, needles);
    let best = 0;
    for (const c of counts.values()) best = Math.max(best, c);
    if (best === 0) continue;
    const winners = [...counts].filter(([, c]) => c === best).map(([id]) => id);
    if (winners.length === 1) return { kind: "mention", id: winners[0] as number, level };
    return { kind: "ambiguous", ids: winners };
  }
  return { kind: "none" };
}

/** Counts non-overlapping whole-word occurrences, longest spellings claiming their words first. */
function countMentions(hay: string[], needles: { id: number; tokens: string[] }[]): Map<number, number> {
  const claimed = new Uint8Array(hay.length);
  const counts = new Map<number, number>();
  const ordered = [...needles].sort((a, b) => b.tokens.length - a.tokens.length || b.tokens.join("").length - a.tokens.join("").length);
  for (const needle of ordered) {
    const n = needle.tokens.length;
    for (let i = 0; i + n <= hay.length; i++) {
      let hit = true;
      for (let k = 0; k < n; k++) {
        if (claimed[i + k] || hay[i + k] !== needle.tokens[k]) {
          hit = false;
          break;
        }
      }
      if (!hit) continue;
      claimed.fill(1, i, i + n);
      counts.set(needle.id, (counts.get(needle.id) ?? 0) + 1);
      i += n - 1;
    }
  }
  return counts;
}
