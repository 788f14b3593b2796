/**
 * Token counting with the o200k_base encoding (gpt-tokenizer), memoised per string in size-bounded maps so
 * repeated prompts (the common case in tests and benches) cost a lookup and memory stays capped.
 * gpt-tokenizer (~30 MB) is an optional peer loaded when a simulator starts (`loadTokenizer`), so an
 * application that never runs the simulator does not carry it.
 */
import { ConfigurationError } from "../errors/index.js";

type O200k = typeof import("gpt-tokenizer/encoding/o200k_base");
let o200k: O200k | undefined;

/** Loads the encoding once; a missing package is named with the command that installs it. */
export async function loadTokenizer(): Promise<void> {
  if (o200k) return;
  try {
    o200k = await import("gpt-tokenizer/encoding/o200k_base");
  } catch (cause) {
    throw new ConfigurationError("the simulator counts tokens with gpt-tokenizer: npm install --save-dev gpt-tokenizer", [], { cause });
  }
}

function tokenizer(): O200k {
  if (!o200k) throw new ConfigurationError("the simulator's tokenizer is not loaded: start the simulator with startSimulator()");
  return o200k;
}
const countO200k: O200k["countTokens"] = (text, options) => tokenizer().countTokens(text, options);
const encode: O200k["encode"] = (text, options) => tokenizer().encode(text, options);
const decode: O200k["decode"] = (ids) => tokenizer().decode(ids);

/** A map that forgets its oldest entries once their total size passes a budget. */
class BoundedMemo<V> {
  private readonly entries = new Map<string, { value: V; size: number }>();
  private total = 0;
  constructor(private readonly budget: number) {}
  get(key: string): V | undefined {
    return this.entries.get(key)?.value;
  }
  set(key: string, value: V, size: number) {
    if (size > this.budget / 4) return;
    this.entries.set(key, { value, size });
    this.total += size;
    while (this.total > this.budget) {
      const oldest = this.entries.keys().next().value as string;
      this.total -= (this.entries.get(oldest) as { size: number }).size;
      this.entries.delete(oldest);
    }
  }
}

/**
 * Prompts are user text: a `<|im_start|>` in it is text, not a control token (gpt-tokenizer throws on
 * special tokens by default, which left the request unanswered).
 */
const PLAIN = { disallowedSpecial: new Set<string>() };

/** Budgets: characters of memoised text for counts, tokens (plus text) for encodings. */
const counts = new BoundedMemo<number>(16_000_000);
const encodings = new BoundedMemo<readonly number[]>(8_000_000);

/** Number of o200k_base tokens in `text` (memoised). */
export function countTokens(text: string): number {
  if (text.length === 0) return 0;
  const hit = counts.get(text);
  if (hit !== undefined) return hit;
  const n = text.length > LONG_TEXT ? countInSlices(text) : countO200k(text, PLAIN);
  counts.set(text, n, text.length + 64);
  return n;
}

/**
 * BPE on one long pre-token (thousands of a single repeated character, as a runaway model writes) is
 * super-linear: 60k "a"s took seconds. Past this length the count is the sum over fixed slices, which is
 * linear and within a token per slice of the exact figure (measured: 2k-character slices of 200k
 * pathological characters count in under 10 ms).
 */
const LONG_TEXT = 8 * 1024;
const SLICE = 2 * 1024;
/** Past this many characters only the head is counted and the rest estimated at the head's ratio. */
const EXACT_LIMIT = 1024 * 1024;

function countInSlices(text: string): number {
  const end = Math.min(text.length, EXACT_LIMIT);
  let n = 0;
  for (let i = 0; i < end; i += SLICE) n += countO200k(text.slice(i, Math.min(end, i + SLICE)), PLAIN);
  if (end === text.length) return n;
  return Math.round((n * text.length) / end);
}

/** The o200k_base token ids of `text` (memoised, bounded); of its first `EXACT_LIMIT` characters past that. */
export function encodeCached(text: string): readonly number[] {
  const hit = encodings.get(text);
  if (hit !== undefined) return hit;
  const ids = encodeSliced(text.length > EXACT_LIMIT ? text.slice(0, EXACT_LIMIT) : text);
  encodings.set(text, ids, ids.length * 2 + text.length / 2 + 64);
  if (text.length <= EXACT_LIMIT) counts.set(text, ids.length, text.length + 64);
  return ids;
}

/** The first `maxTokens` tokens of `text`, decoded back to a string. */
export function truncateToTokens(text: string, maxTokens: number): string {
  // A token is at least one character: only the head can survive, so only the head is encoded.
  const head = text.length > (maxTokens + 1) * 16 ? text.slice(0, (maxTokens + 1) * 16) : text;
  const ids = encodeSliced(head);
  if (ids.length <= maxTokens) return text;
  return decode(ids.slice(0, Math.max(0, maxTokens)));
}

/** Splits text into pieces of roughly `tokensPerPiece` tokens (for streaming deltas). */
export function splitByTokens(text: string, tokensPerPiece: number): string[] {
  const ids = encodeSliced(text);
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

/** `encode`, slice by slice past `LONG_TEXT` (linear time, see `countInSlices`). */
function encodeSliced(text: string): number[] {
  if (text.length <= LONG_TEXT) return encode(text, PLAIN);
  const ids: number[] = [];
  for (let i = 0; i < text.length; i += SLICE) for (const id of encode(text.slice(i, i + SLICE), PLAIN)) ids.push(id);
  return ids;
}
