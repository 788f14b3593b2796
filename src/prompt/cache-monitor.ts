/**
 * The prompt-cache monitor: per task, compares each call's stable sections with its recent ones (a call
 * repeating the previous call's template is recognised by identity, without hashing) and reports cache-busters (a
 * stable section whose text is new since the task's recent calls: a `cache_buster` event naming the section
 * and the tokens it costs per call) and prefixes the provider will not cache (a `warning`, once per task).
 */
import type { BallastEvent, ModelRequest, PromptSection } from "../core/index.js";
import { type CacheLayout, cacheLayout, estimateTokens, wireOrder, withDefaultCacheKey } from "./cache-layout.js";

export interface CacheMonitorOptions {
  /** Tasks tracked at most (least recently called dropped first). Default 1,000. */
  maxTasks?: number;
  /** Distinct texts remembered per section (several tenants' variants can all be warm). Default 8. */
  variants?: number;
  /** A text seen within this window counts as still cached (both providers' default TTL). Default 5 minutes. */
  windowMs?: number;
  clock?: () => number;
}

export interface CacheObservation {
  callId: string;
  task: string;
  /** The call's sections (any order: wire order is derived). */
  sections: readonly PromptSection[];
  /** The primary model: its provider's minimum cacheable length and cache granularity apply. */
  provider?: string;
  modelId?: string;
  /** The JSON Schema sent with the request (it precedes the messages in the prefix). */
  schema?: unknown;
}

export type CacheFinding =
  | { kind: "cache_buster"; section: string; tokensLost: number }
  | { kind: "below_minimum"; prefixTokens: number; minimum: number }
  | { kind: "stranded_stable"; sections: string[] }
  | { kind: "volatile_marker"; section: string; looksLike: string };

export interface CacheMonitor {
  /**
   * Records one call and returns what it found; with `emit`, also sends `cache_buster` and `warning` events
   * (callId and ts filled in). Busters are reported on every call that has one; warnings once per task.
   */
  observe(observation: CacheObservation, emit?: ((event: BallastEvent) => void) | null): CacheFinding[];
  /**
   * `observe`, then the call's cache hints: the caller's, with the task's default `prompt_cache_key`, and no
   * Anthropic breakpoints while the task's first stable section has changed on each of its last 3 calls, this
   * one included (a cache write nobody reads costs 1.25x plain input), unless the caller set `breakpoints`.
   */
  prepare(
    observation: CacheObservation & { cache?: ModelRequest["cache"] },
    emit?: ((event: BallastEvent) => void) | null,
  ): NonNullable<ModelRequest["cache"]>;
  /** The layout computed for the task's latest call. */
  layout(task: string): CacheLayout | undefined;
}

/** Consecutive calls whose first stable section changed before Ballast stops asking Anthropic to cache it. */
export const CHRONIC_BUSTER_CALLS = 3;

interface Variant {
  hash: string;
  seenAt: number;
}

interface TaskState {
  variants: Map<string, Variant[]>;
  /** The latest text of each stable section (to find where a change starts). */
  latest: Map<string, string>;
  warned: Set<string>;
  /** Section texts (by hash) already scanned for timestamps. */
  scanned: Set<string>;
  calls: number;
  /** Consecutive calls (up to this one) whose first prefix section was a cache-buster. */
  headBusted: number;
  layout?: CacheLayout;
  /** The latest call as observed, for the repeat-call fast path (see `sameAsLast`). */
  last?: { observation: CacheObservation; at: number };
  /** The stable prefix sections of the latest full observation (their newest variant is the current text). */
  prefixNames: string[];
  /** The default prompt_cache_key of the latest prefix it was computed or checked for. */
  key?: { schema: unknown; signature: string; key: string };
  /** Whether `key` belongs to the current prefix: false after a full observation (the prefix may have changed). */
  keyCurrent: boolean;
}

/** Values that usually change per call. Warnings name the kind, never the text (it may be private). */
const VOLATILE_MARKERS: ReadonlyArray<[string, RegExp]> = [
  ["a date-time", /\b\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}/],
  ["a clock time", /\b\d{1,2}:\d{2}:\d{2}\b/],
  ["an epoch timestamp", /\b1[5-9]\d{11}\b/],
  ["a UUID", /\b[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\b/i],
];

function commonPrefixLength(a: string, b: string): number {
  const n = Math.min(a.length, b.length);
  let i = 0;
  while (i < n && a.charCodeAt(i) === b.charCodeAt(i)) i++;
  return i;
}

export function createCacheMonitor(options: CacheMonitorOptions = {}): CacheMonitor {
  const maxTasks = options.maxTasks ?? 1000;
  const maxVariants = Math.max(1, options.variants ?? 8);
  const windowMs = options.windowMs ?? 5 * 60_000;
  const clock = options.clock ?? Date.now;
  const tasks = new Map<string, TaskState>();

  const stateOf = (task: string): TaskState => {
    let state = tasks.get(task);
    if (state) {
      tasks.delete(task); // most recently used last
    } else {
      state = {
        variants: new Map(),
        latest: new Map(),
        warned: new Set(),
        scanned: new Set(),
        calls: 0,
        headBusted: 0,
        prefixNames: [],
        keyCurrent: false,
      };
      if (tasks.size >= maxTasks) tasks.delete(tasks.keys().next().value as string);
    }
    tasks.set(task, state);
    return state;
  };

  function observe(o: CacheObservation, emit?: ((event: BallastEvent) => void) | null): CacheFinding[] {
    const now = clock();
    const state = stateOf(o.task);
    const last = state.last;
    state.last = { observation: o, at: now };
    if (last && now - last.at <= windowMs && sameAsLast(last.observation, o)) {
      // The common case: the same template as the task's last call, within the window. Its prefix is warm
      // and already scanned and warned about: refresh the variants' timestamps, nothing else to find.
      for (const name of state.prefixNames) {
        const list = state.variants.get(name);
        if (list) list[list.length - 1]!.seenAt = now;
      }
      state.calls++;
      state.headBusted = 0;
      return [];
    }
    state.keyCurrent = false;
    const layout = cacheLayout(o.sections, { provider: o.provider, modelId: o.modelId, schema: o.schema });
    const ordered = wireOrder(o.sections);
    state.layout = layout;
    const findings: CacheFinding[] = [];
    const minimum = layout.minimum ?? 0;
    const cacheable = (tokens: number) => (tokens >= minimum ? tokens : 0);

    // 1. A cache-buster: the first prefix section whose text is not among the task's recent ones.
    let before = layout.schemaTokens;
    let headBusted = false;
    for (let i = 0; i < ordered.length && layout.sections[i]!.inPrefix; i++) {
      const section = ordered[i]!;
      const hash = layout.sections[i]!.hash!;
      const known = state.variants.get(section.name);
      const warm = known?.some((v) => v.hash === hash && now - v.seenAt <= windowMs) ?? false;
      if (!warm && state.calls > 0) {
        // Anthropic caches whole blocks; OpenAI caches up to the first changed token.
        const last = state.latest.get(section.name);
        const kept =
          o.provider === "anthropic" || last === undefined
            ? 0
            : estimateTokens(section.content.slice(0, commonPrefixLength(last, section.content)));
        const lost = cacheable(layout.prefixTokens) - cacheable(before + kept);
        if (lost > 0) findings.push({ kind: "cache_buster", section: section.name, tokensLost: lost });
        headBusted = i === 0;
        break;
      }
      before += layout.sections[i]!.tokens;
    }
    for (let i = 0; i < ordered.length && layout.sections[i]!.inPrefix; i++) {
      const section = ordered[i]!;
      const hash = layout.sections[i]!.hash!;
      const list = state.variants.get(section.name) ?? [];
      const at = list.findIndex((v) => v.hash === hash);
      if (at >= 0) list.splice(at, 1);
      list.push({ hash, seenAt: now });
      if (list.length > maxVariants) list.shift();
      state.variants.set(section.name, list);
      state.latest.set(section.name, section.content);
    }
    state.prefixNames = ordered.filter((_, i) => layout.sections[i]!.inPrefix).map((s) => s.name);

    // 2. Warnings, once per task.
    const once = (key: string, finding: CacheFinding) => {
      if (state.warned.has(key)) return;
      state.warned.add(key);
      findings.push(finding);
    };
    if (layout.cacheable === false)
      once(`min:${o.provider}:${o.modelId}`, { kind: "below_minimum", prefixTokens: layout.prefixTokens, minimum });
    if (layout.strandedStable.length > 0)
      once(`stranded:${layout.strandedStable.join(",")}`, { kind: "stranded_stable", sections: layout.strandedStable });
    for (let i = 0; i < ordered.length && layout.sections[i]!.inPrefix; i++) {
      const section = ordered[i]!;
      const hash = layout.sections[i]!.hash!;
      if (state.warned.has(`marker:${section.name}`) || state.scanned.has(hash)) continue;
      if (state.scanned.size >= 64) state.scanned.clear();
      state.scanned.add(hash);
      const marker = VOLATILE_MARKERS.find(([, re]) => re.test(section.content));
      if (marker) once(`marker:${section.name}`, { kind: "volatile_marker", section: section.name, looksLike: marker[0] });
    }
    state.calls++;
    state.headBusted = headBusted ? state.headBusted + 1 : 0;

    if (emit) for (const f of findings) emit(toEvent(f, o, now));
    return findings;
  }

  function prepare(
    o: CacheObservation & { cache?: ModelRequest["cache"] },
    emit?: ((event: BallastEvent) => void) | null,
  ): NonNullable<ModelRequest["cache"]> {
    observe(o, emit);
    const state = tasks.get(o.task)!;
    let cache = o.cache ?? {};
    if (cache.key === undefined && state.keyCurrent && state.key) {
      cache = withKey(cache, state.key.key); // only repeats since it was checked: same prefix and schema, same key
    } else if (cache.key === undefined) {
      // The key is a function of the prefix and schema: reuse it while their hashes are unchanged.
      const signature = `${state.layout!.sections.map((s) => (s.inPrefix ? s.hash : "")).join(",")}|${state.layout!.schemaTokens}`;
      let memo = state.key;
      if (!memo || memo.schema !== o.schema || memo.signature !== signature) {
        memo = { schema: o.schema, signature, key: withDefaultCacheKey(undefined, o.task, o.sections, o.schema).key! };
        state.key = memo;
      }
      state.keyCurrent = true;
      cache = withKey(cache, memo.key);
    }
    const schemaCacheable =
      state.layout !== undefined && state.layout.minimum !== null && state.layout.schemaTokens >= state.layout.minimum;
    if (cache.breakpoints === undefined && state.headBusted >= CHRONIC_BUSTER_CALLS && !schemaCacheable)
      return { key: cache.key, breakpoints: "none", ttl: cache.ttl };
    return cache;
  }

  return {
    observe,
    prepare,
    layout(task) {
      const last = tasks.get(task)?.last?.observation;
      return last && cacheLayout(last.sections, { provider: last.provider, modelId: last.modelId, schema: last.schema });
    },
  };
}

/**
 * Whether a call has the same prompt template as the previous one: same model and schema, the same sections
 * in the same roles, and the same text in every stable one (usually the very same string: a task's
 * instructions). Only the volatile sections (the input) may differ, and they never reach the prefix.
 */
function sameAsLast(a: CacheObservation, b: CacheObservation): boolean {
  if (a.provider !== b.provider || a.modelId !== b.modelId || a.schema !== b.schema || a.sections.length !== b.sections.length)
    return false;
  for (let i = 0; i < a.sections.length; i++) {
    const x = a.sections[i]!;
    const y = b.sections[i]!;
    if (x.name !== y.name || x.role !== y.role || x.stable !== y.stable || (x.stable && x.content !== y.content)) return false;
  }
  return true;
}

/**
 * The hints with `key` set, built field by field: `{ ...cache, key }` on every call gets a new hidden class
 * each time once optimised on Node 20 (see client/definition-of.ts).
 */
function withKey(cache: NonNullable<ModelRequest["cache"]>, key: string): NonNullable<ModelRequest["cache"]> {
  return { key, breakpoints: cache.breakpoints, ttl: cache.ttl };
}

function toEvent(f: CacheFinding, o: CacheObservation, ts: number): BallastEvent {
  const base = { callId: o.callId, ts };
  const model = o.modelId ? `${o.provider}:${o.modelId}` : "the model";
  switch (f.kind) {
    case "cache_buster":
      return { ...base, type: "cache_buster", task: o.task, section: f.section, tokensLost: f.tokensLost };
    case "below_minimum":
      return {
        ...base,
        type: "warning",
        message: `task "${o.task}": the stable prompt prefix (~${f.prefixTokens} tokens, estimated) is below ${model}'s minimum cacheable length (${f.minimum} tokens), so it is never cached`,
      };
    case "stranded_stable":
      return {
        ...base,
        type: "warning",
        message: `task "${o.task}": stable section(s) ${f.sections.map((s) => `"${s}"`).join(", ")} come after a volatile system section and cannot be cached; move the volatile section to the user turn (role "user") or mark it stable`,
      };
    case "volatile_marker":
      return {
        ...base,
        type: "warning",
        message: `task "${o.task}": stable section "${f.section}" contains what looks like ${f.looksLike}; if it changes per call it busts the prompt cache (move it to a volatile section)`,
      };
  }
}

const monitors = new WeakMap<object, CacheMonitor>();

/** One monitor per owner (the client's event hub): the client keeps no extra field for it. */
export function cacheMonitorFor(owner: object): CacheMonitor {
  let monitor = monitors.get(owner);
  if (!monitor) {
    monitor = createCacheMonitor();
    monitors.set(owner, monitor);
  }
  return monitor;
}
