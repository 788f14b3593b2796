/**
 * The prompt cache: cached input share per task (as `ballast stats` reports it), dollars the cached tokens saved
 * at catalogue prices, and the cache-buster events (the stable section that changed and broke the prefix).
 */
import { attemptCost, type Tallies, type TraceDb } from "../../observe/index.js";
import { fits, type ViewFilter } from "./filter.js";
import { share } from "./figures.js";

const NO_USAGE = { inputTokens: 0, outputTokens: 0, cachedInputTokens: 0, cacheWriteTokens: 0, reasoningTokens: 0 };

/** Full input price minus cached price of `cached` tokens; null when the catalogue does not price the model. */
function savedUsd(provider: string, model: string, cached: number): number | null {
  if (cached === 0) return 0;
  const full = attemptCost(provider, model, { ...NO_USAGE, inputTokens: cached });
  const hit = attemptCost(provider, model, { ...NO_USAGE, inputTokens: cached, cachedInputTokens: cached });
  return full === null || hit === null ? null : full - hit;
}

export function cache(db: TraceDb, tallies: Tallies, f: ViewFilter) {
  const tasks = new Map<
    string,
    { task: string; calls: number; input_tokens: number; cached_input_tokens: number; saved_usd: number | null; unpriced_tokens: number }
  >();
  const entry = (task: string) => {
    let t = tasks.get(task);
    if (!t) tasks.set(task, (t = { task, calls: 0, input_tokens: 0, cached_input_tokens: 0, saved_usd: 0, unpriced_tokens: 0 }));
    return t;
  };
  for (const c of tallies.calls.values()) if (fits(f, c)) entry(c.task).calls += c.calls;
  for (const a of tallies.attempts.values()) {
    if (!fits(f, a)) continue;
    const t = entry(a.task);
    t.input_tokens += a.input;
    t.cached_input_tokens += a.cached;
    const saved = savedUsd(a.provider, a.model, a.cached);
    if (saved === null) t.unpriced_tokens += a.cached;
    else t.saved_usd = (t.saved_usd ?? 0) + saved;
  }
  const busters = (
    db
      .prepare(
        `SELECT call_id, ts, model, json_extract(data, '$.task') AS task, json_extract(data, '$.section') AS section,
                json_extract(data, '$.tokensLost') AS tokens_lost
         FROM events WHERE type = 'cache_buster' AND ts >= ? ORDER BY ts DESC LIMIT 5000`,
      )
      .all(f.since) as Array<{
      call_id: string;
      ts: number;
      model: string | null;
      task: string | null;
      section: string | null;
      tokens_lost: number;
    }>
  ).filter((b) => (f.task === undefined || (b.task ?? "") === f.task) && (f.model === undefined || b.model === f.model));
  const perTask = new Map<string, { n: number; lost: number; sections: Map<string, number> }>();
  for (const b of busters) {
    const k = b.task ?? "";
    const p = perTask.get(k) ?? { n: 0, lost: 0, sections: new Map<string, number>() };
    p.n++;
    p.lost += b.tokens_lost ?? 0;
    if (b.section !== null) p.sections.set(b.section, (p.sections.get(b.section) ?? 0) + 1);
    perTask.set(k, p);
    entry(k);
  }
  const rows = [...tasks.values()]
    .map((t) => {
      const p = perTask.get(t.task);
      return {
        ...t,
        cached_input_share: share(t.cached_input_tokens, t.input_tokens),
        cache_busters: p?.n ?? 0,
        busted_sections: p ? [...p.sections].sort((a, b) => b[1] - a[1]).map(([s]) => s) : [],
        tokens_lost: p?.lost ?? 0,
      };
    })
    .sort((a, b) => b.calls - a.calls || a.task.localeCompare(b.task));
  const input = rows.reduce((s, t) => s + t.input_tokens, 0);
  const cached = rows.reduce((s, t) => s + t.cached_input_tokens, 0);
  return {
    input_tokens: input,
    cached_input_tokens: cached,
    cached_input_share: share(cached, input),
    saved_usd: rows.reduce((s, t) => s + (t.saved_usd ?? 0), 0),
    unpriced_tokens: rows.reduce((s, t) => s + t.unpriced_tokens, 0),
    cache_busters: busters.length,
    tasks: rows,
    busters: busters.slice(0, 100),
  };
}
