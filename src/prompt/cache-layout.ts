/**
 * The prompt-cache layout of a call: the stable prefix a provider can cache (sections in wire order, with
 * cheap token estimates), the providers' minimum cacheable lengths, Anthropic breakpoint placement and the
 * default OpenAI `prompt_cache_key`. Pure functions: the provider bodies and the cache monitor share them.
 *
 * Token estimates are `ceil(characters / 3.5)`: no tokenizer on the hot path. English prose runs ~4
 * characters a token and JSON ~3, so the estimate is within ~20% either way; it only decides where
 * breakpoints go and when to warn, never what is billed.
 */
import { createHash } from "node:crypto";
import type { ModelRequest, PromptSection } from "../core/index.js";

/** Characters per token assumed by `estimateTokens`. */
export const CHARS_PER_TOKEN = 3.5;

/** Anthropic accepts at most this many `cache_control` breakpoints per request. */
export const MAX_BREAKPOINTS = 4;

/** Anthropic looks for a cached prefix at most this many blocks before a breakpoint. */
export const BREAKPOINT_LOOKBACK_BLOCKS = 20;

/** A cheap token estimate: `ceil(text.length / 3.5)` (see the file comment). */
export function estimateTokens(text: string): number {
  return Math.ceil(text.length / CHARS_PER_TOKEN);
}

/**
 * The shortest prefix a provider caches, in tokens: OpenAI 1024; Anthropic 1024, 2048 for Haiku models.
 * null for providers whose rule is not known (no warning is raised for them).
 */
export function minCacheableTokens(provider: string, modelId: string): number | null {
  if (provider === "openai") return 1024;
  if (provider === "anthropic") return /haiku/i.test(modelId) ? 2048 : 1024;
  return null;
}

/**
 * The byte-exact form of a stable section: Unicode NFC, `\n` line ends, no trailing spaces on a line, at
 * most one blank line in a row, no leading or trailing blank space. Idempotent.
 */
export function normalizeStableText(text: string): string {
  const hit = normalized.get(text);
  if (hit !== undefined) return hit;
  const out = text
    .normalize("NFC")
    .replace(/\r\n?/g, "\n")
    .replace(/[ \t]+$/gm, "")
    .replace(/\n{3,}/g, "\n\n")
    .trim();
  if (normalized.size >= 256) normalized.clear();
  normalized.set(text, out);
  return out;
}

/** Recent templates: a task's instructions are the same string on every call. */
const normalized = new Map<string, string>();

/**
 * Sections in the order they reach the provider: system sections then user sections, stable ones first
 * within each role (a stable partition: the order among stable and among volatile sections is kept).
 */
export function wireOrder(sections: readonly PromptSection[]): readonly PromptSection[] {
  // Sections from buildPrompt are already in wire order: check in one pass and return them as they are.
  let rank = 0;
  for (const s of sections) {
    const r = (s.role === "system" ? 0 : 2) + (s.stable ? 0 : 1);
    if (r < rank) return sortWireOrder(sections);
    rank = r;
  }
  return sections;
}

function sortWireOrder(sections: readonly PromptSection[]): PromptSection[] {
  const of = (role: PromptSection["role"], stable: boolean) => sections.filter((s) => s.role === role && s.stable === stable);
  return [...of("system", true), ...of("system", false), ...of("user", true), ...of("user", false)];
}

/** How many sections, from the start of `wireOrder(sections)`, form the stable (cacheable) prefix. */
export function stablePrefixCount(ordered: readonly PromptSection[]): number {
  let n = 0;
  while (n < ordered.length && ordered[n]!.stable) n++;
  return n;
}

/** A short, stable hash of a text (base64url of SHA-256, 16 characters). */
export function hashText(text: string): string {
  const hit = hashes.get(text);
  if (hit !== undefined) return hit;
  const out = createHash("sha256").update(text).digest("base64url").slice(0, 16);
  if (hashes.size >= 256) hashes.clear();
  hashes.set(text, out);
  return out;
}

/** Recent hashes: a task's stable sections (and its cache-key input) are the same text on every call. */
const hashes = new Map<string, string>();

/** `JSON.stringify` of a schema, once per schema object (compiled schemas are shared by every call of a task). */
function schemaJson(schema: unknown): string {
  if (schema === null || typeof schema !== "object") return JSON.stringify(schema);
  let json = schemaTexts.get(schema);
  if (json === undefined) schemaTexts.set(schema, (json = JSON.stringify(schema)));
  return json;
}
const schemaTexts = new WeakMap<object, string>();

export interface LayoutSection {
  name: string;
  role: PromptSection["role"];
  stable: boolean;
  /** Estimated tokens of this section. */
  tokens: number;
  /** Part of the cacheable prefix (stable and before the first volatile section in wire order). */
  inPrefix: boolean;
  /** Hash of the content (for stable sections; what the cache monitor compares from call to call). */
  hash: string | null;
}

export interface CacheLayout {
  /** Sections in wire order. */
  sections: LayoutSection[];
  /** Estimated tokens of the schema sent ahead of the messages (tool / response format), 0 without one. */
  schemaTokens: number;
  /** Estimated tokens of the cacheable prefix: the schema plus the prefix sections. */
  prefixTokens: number;
  /** The provider's minimum cacheable length, when known. */
  minimum: number | null;
  /** Whether the prefix meets the minimum (null when the minimum is unknown). */
  cacheable: boolean | null;
  /** Stable sections that sit after a volatile one (in wire order) and so cannot be cached. */
  strandedStable: string[];
}

export interface CacheLayoutOptions {
  /** Provider and model, for the minimum cacheable length. */
  provider?: string;
  modelId?: string;
  /** The JSON Schema sent with the request (tool or response format): it precedes the messages on both providers. */
  schema?: unknown;
}

/**
 * Describes how a prompt lays out for the provider's prefix cache.
 *
 * @example
 * const layout = cacheLayout(buildPrompt({ instructions, examples, input }), { provider: "anthropic", modelId: "claude-haiku-4-5" });
 * layout.prefixTokens; layout.cacheable; // ~2300, true
 */
export function cacheLayout(sections: readonly PromptSection[], options: CacheLayoutOptions = {}): CacheLayout {
  const ordered = wireOrder(sections);
  const prefix = stablePrefixCount(ordered);
  const schemaTokens = options.schema === undefined || options.schema === null ? 0 : estimateTokens(schemaJson(options.schema));
  let prefixTokens = schemaTokens;
  const out: LayoutSection[] = ordered.map((s, i) => {
    const tokens = estimateTokens(s.content);
    if (i < prefix) prefixTokens += tokens;
    return { name: s.name, role: s.role, stable: s.stable, tokens, inPrefix: i < prefix, hash: s.stable ? hashText(s.content) : null };
  });
  const minimum = options.provider ? minCacheableTokens(options.provider, options.modelId ?? "") : null;
  return {
    sections: out,
    schemaTokens,
    prefixTokens,
    minimum,
    cacheable: minimum === null ? null : prefixTokens >= minimum,
    strandedStable: ordered
      .slice(prefix)
      .filter((s) => s.stable)
      .map((s) => s.name),
  };
}

/**
 * Where Anthropic `cache_control` breakpoints go, as block indices in wire order (tools, system, user).
 * `tokens[i]` is block i's estimated size; the first `prefixBlocks` blocks are stable. Always the last
 * prefix block (the longest stable prefix: a breakpoint on a prefix below the minimum costs nothing, the
 * API just does not cache it, and the estimate may be low); then, up to `max` in all, earlier prefix
 * boundaries that meet `minimum` (so a change late in the prefix still leaves the earlier part cached):
 * role boundaries first, then one within every 20 blocks (the API's lookback), then the latest ones.
 */
export function placeBreakpoints(
  tokens: readonly number[],
  {
    prefixBlocks,
    minimum,
    roleEnds = [],
    max = MAX_BREAKPOINTS,
  }: { prefixBlocks: number; minimum: number; roleEnds?: readonly number[]; max?: number },
): number[] {
  const limit = Math.min(max, MAX_BREAKPOINTS);
  if (prefixBlocks <= 0 || limit <= 0) return [];
  const cumulative: number[] = [];
  let total = 0;
  for (let i = 0; i < prefixBlocks; i++) cumulative.push((total += tokens[i] ?? 0));
  const last = prefixBlocks - 1;
  const chosen = new Set<number>([last]);
  const eligible = (i: number) => i >= 0 && i < last && cumulative[i]! >= minimum;
  const add = (i: number) => {
    if (chosen.size < limit && eligible(i)) chosen.add(i);
  };
  for (const i of roleEnds) add(i);
  for (let i = last - BREAKPOINT_LOOKBACK_BLOCKS; i >= 0; i -= BREAKPOINT_LOOKBACK_BLOCKS) add(i);
  for (let i = last - 1; i >= 0 && chosen.size < limit; i--) add(i);
  return [...chosen].sort((a, b) => a - b);
}

/**
 * The default OpenAI `prompt_cache_key` for a task: `ballast:<task>:<hash>`, the hash taken over the schema
 * and the first ~1,000 characters of the stable prefix (about the ~256 tokens OpenAI routes on). Calls of
 * one template share a key; a change late in the prefix (a date at the end of the instructions) keeps it,
 * so the part before the change still hits.
 */
export function promptCacheKey(task: string, sections: readonly PromptSection[], schema?: unknown): string {
  const ordered = wireOrder(sections);
  let head = "";
  for (let i = 0; i < ordered.length && ordered[i]!.stable && head.length < 1024; i++) {
    head += (i > 0 ? "\n\n" : "") + ordered[i]!.content.slice(0, 1024);
  }
  head = head.slice(0, 1024);
  return `ballast:${task}:${hashText(`${schema === undefined ? "" : schemaJson(schema)}\u0000${head}`).slice(0, 12)}`;
}

/** The request's cache hints with the task's default `prompt_cache_key` filled in when none is set. */
export function withDefaultCacheKey(
  cache: ModelRequest["cache"] | undefined,
  task: string,
  sections: readonly PromptSection[],
  schema?: unknown,
): NonNullable<ModelRequest["cache"]> {
  if (cache?.key !== undefined) return cache;
  return { ...cache, key: promptCacheKey(task, sections, schema) };
}
