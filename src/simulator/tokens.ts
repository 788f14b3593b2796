/**
 * Token counting with the o200k_base encoding (gpt-tokenizer), memoised per string in a bounded map so
 * repeated prompts (the common case in tests and benches) cost a lookup.
 */
import { countTokens as countO200k, encode, decode } from "gpt-tokenizer/encoding/o200k_base";

const MAX_ENTRIES = 5000;
const counts = new Map<string, number>();

/** Number of o200k_base tokens in `text` (memoised). */
export function countTokens(text: string): number {
  if (text.length === 0) return 0;
  const hit = counts.get(text);
  if (hit !== undefined) return hit;
  const n = countO200k(text);
  if (counts.size >= MAX_ENTRIES) counts.delete(counts.keys().next().value as string);
  counts.set(text, n);
  return n;
}

const encodings = new Map<string, readonly number[]>();

/** The o200k_base token ids of `text` (memoised, bounded). */
export function encodeCached(text: string): readonly number[] {
  const hit = encodings.get(text);
  if (hit !== undefined) return hit;
  const ids = encode(text);
  if (encodings.size >= MAX_ENTRIES) encodings.delete(encodings.keys().next().value as string);
  encodings.set(text, ids);
  counts.set(text, ids.length);
  return ids;
}

/** The first `maxTokens` tokens of `text`, decoded back to a string. */
export function truncateToTokens(text: string, maxTokens: number): string {
  const ids = encode(text);
  if (ids.length <= maxTokens) return text;
  return decode(ids.slice(0, Math.max(0, maxTokens)));
}

/** Splits text into pieces of roughly `tokensPerPiece` tokens (for streaming deltas). */
export function splitByTokens(text: string, tokensPerPiece: number): string[] {
  const ids = encode(text);
  const pieces: string[] = [];
  for (let i = 0; i < ids.length; i += tokensPerPiece) pieces.push(decode(ids.slice(i, i + tokensPerPiece)));
  // decode of a partial multi-byte sequence can lose characters; fall back to character slicing then.
  if (pieces.join("") !== text) {
    const size = Math.max(1, Math.ceil(text.length / Math.max(1, pieces.length)));
    pieces.length = 0;
    for (let i = 0; i < text.length; i += size) pieces.push(text.slice(i, i + size));
  }
  return pieces;
}
