/**
 * Pauses the providers asked for, per model id: a 429's `retry-after`, or `x-ratelimit-remaining-*` at 0 on
 * any reply (until its `x-ratelimit-reset-*`). `rateLimitFetch` hands an SDK client's reply headers to them.
 * Kept in this process: the shared part of a limit is the `RateLimiter`'s buckets.
 */

export type HeaderSource = { get(name: string): string | null } | Record<string, string | string[] | undefined>;

export interface ProviderPauses {
  /** No request for `model` in the next `ms`. */
  pause(model: string, ms: number): void;
  /** A reply's headers: a `x-ratelimit-remaining-{requests,tokens}` of 0 pauses `model` until the matching reset. */
  observe(model: string, headers: HeaderSource): void;
  /** Milliseconds of pause left for `model` (0 when none). */
  remainingMs(model: string): number;
}

export function providerPauses(clock: () => number = () => performance.now()): ProviderPauses {
  const until = new Map<string, number>();
  const extend = (model: string, ms: number) => {
    const end = clock() + ms;
    if (end > (until.get(model) ?? 0)) until.set(model, end);
  };
  return {
    pause: extend,
    observe(model, headers) {
      for (const kind of ["requests", "tokens"] as const) {
        const remaining = header(headers, `x-ratelimit-remaining-${kind}`);
        if (remaining === undefined || Number(remaining) > 0) continue;
        const reset = parseResetMs(header(headers, `x-ratelimit-reset-${kind}`));
        if (reset !== undefined) extend(model, reset);
      }
    },
    remainingMs(model) {
      const end = until.get(model);
      return end === undefined ? 0 : Math.max(0, end - clock());
    },
  };
}

function header(h: HeaderSource, name: string): string | undefined {
  if (typeof (h as { get?: unknown }).get === "function") return (h as { get(n: string): string | null }).get(name) ?? undefined;
  const v = (h as Record<string, string | string[] | undefined>)[name];
  return Array.isArray(v) ? v[0] : v;
}

/** OpenAI's reset durations: "1s", "6m0s", "120ms", "1h2m3.5s"; a bare number is seconds; Anthropic's RFC 3339 times. */
export function parseResetMs(raw: string | undefined): number | undefined {
  if (raw === undefined || raw === "") return undefined;
  if (/^\d+(\.\d+)?$/.test(raw)) return Number(raw) * 1000;
  let total = 0;
  let matched = false;
  for (const m of raw.matchAll(/(\d+(?:\.\d+)?)(ms|h|m|s)/g)) {
    matched = true;
    const n = Number(m[1]);
    total += m[2] === "ms" ? n : m[2] === "s" ? n * 1000 : m[2] === "m" ? n * 60_000 : n * 3_600_000;
  }
  if (matched) return total;
  const date = Date.parse(raw);
  return Number.isFinite(date) ? Math.max(0, date - Date.now()) : undefined;
}

/**
 * A `fetch` for an SDK client (`new OpenAI({ fetch: rateLimitFetch(pauses) })`) that shows every reply's
 * headers to `pauses` under the request body's model, so `x-ratelimit-*` pauses the model before a 429.
 */
export function rateLimitFetch(pauses: Pick<ProviderPauses, "observe">, inner: typeof fetch = fetch): typeof fetch {
  return async (input, init) => {
    const res = await inner(input, init);
    const body = typeof init?.body === "string" ? init.body : "";
    const model = /"model"\s*:\s*"([^"]+)"/.exec(body)?.[1];
    if (model && res.headers.has("x-ratelimit-remaining-requests")) pauses.observe(model, res.headers);
    return res;
  };
}
