/**
 * The overview: calls, spend, latency percentiles and outcome shares of the window, spend per model per day,
 * p50/p95/p99 latency over time, and per model its uptime, provider-failure rate and breaker openings.
 */
import type { Tallies, TraceDb } from "../../observe/index.js";
import { fits, type ViewFilter } from "./filter.js";
import { bucketSize, percentiles, series, share } from "./figures.js";

export interface OverviewModel {
  model: string;
  provider: string;
  attempts: number;
  answered: number;
  /** answered / attempts that ran, as `ballast stats` reports it. */
  uptime: number | null;
  /** Attempts that ran and failed at the provider (timeouts, HTTP errors, refusals), over attempts that ran. */
  error_rate: number | null;
  breaker_openings: number;
  spend_usd: number;
  p50_ms: number | null;
}

export function overview(db: TraceDb, tallies: Tallies, f: ViewFilter, now = Date.now()) {
  let calls = 0;
  let completed = 0;
  let success = 0;
  let errors = 0;
  let fallback = 0;
  const latencies: Array<ArrayLike<number>> = [];
  const byBucket = new Map<number, Array<ArrayLike<number>>>();
  const size = bucketSize(f.since, now);
  for (const c of tallies.calls.values()) {
    if (!fits(f, c)) continue;
    calls += c.calls;
    completed += c.completed;
    success += c.success;
    errors += c.errors;
    fallback += c.fallback;
    for (const chunk of c.latencies) latencies.push(chunk);
    const b = Math.floor(c.at / size) * size;
    const list = byBucket.get(b) ?? [];
    for (const chunk of c.latencies) list.push(chunk);
    byBucket.set(b, list);
  }
  const openings = new Map(
    (
      db
        .prepare(
          "SELECT model, COUNT(*) AS n FROM events WHERE type = 'breaker' AND ts >= ? AND json_extract(data, '$.to') = 'open' GROUP BY model",
        )
        .all(f.since) as Array<{ model: string; n: number }>
    ).map((r) => [r.model, r.n]),
  );
  const perModel = new Map<string, OverviewModel & { ran: number; failures: number; lat: Array<ArrayLike<number>> }>();
  let spend = 0;
  let unknown = 0;
  let estimated = 0;
  const spendPoints: Array<{ at: number; values: Record<string, number> }> = [];
  for (const a of tallies.attempts.values()) {
    if (!fits(f, a)) continue;
    spend += a.spend;
    unknown += a.unknown_cost;
    estimated += a.estimated;
    let m = perModel.get(a.model);
    if (!m) {
      m = {
        model: a.model,
        provider: a.provider,
        attempts: 0,
        answered: 0,
        uptime: null,
        error_rate: null,
        breaker_openings: 0,
        spend_usd: 0,
        p50_ms: null,
        ran: 0,
        failures: 0,
        lat: [],
      };
      perModel.set(a.model, m);
    }
    m.attempts += a.attempts;
    m.answered += a.answered;
    m.ran += a.ran;
    m.failures += a.provider_failures;
    m.spend_usd += a.spend;
    for (const chunk of a.latencies) m.lat.push(chunk);
    spendPoints.push({ at: a.at, values: { [a.model]: a.spend } });
  }
  const models: OverviewModel[] = [...perModel.values()].map(({ ran, failures, lat, ...m }) => ({
    ...m,
    uptime: share(m.answered, ran),
    error_rate: share(failures, ran),
    breaker_openings: openings.get(m.model) ?? 0,
    p50_ms: percentiles(lat).p50_ms,
  }));
  for (const [model, n] of openings)
    if (!perModel.has(model) && (f.model === undefined || f.model === model))
      models.push({
        model,
        provider: "",
        attempts: 0,
        answered: 0,
        uptime: null,
        error_rate: null,
        breaker_openings: n,
        spend_usd: 0,
        p50_ms: null,
      });
  models.sort((a, b) => b.attempts - a.attempts || a.model.localeCompare(b.model));
  const buckets = [...byBucket.keys()].sort((a, b) => a - b);
  const overTime = buckets.map((b) => percentiles(byBucket.get(b)!));
  const names = models.map((m) => m.model);
  return {
    summary: {
      calls,
      completed,
      spend_usd: spend,
      unknown_cost_attempts: unknown,
      estimated_cost_attempts: estimated,
      ...percentiles(latencies),
      success_share: share(success, calls),
      error_share: share(errors, calls),
      fallback_share: share(fallback, calls),
      breaker_openings: [...openings.entries()].reduce((s, [m, n]) => s + (f.model === undefined || f.model === m ? n : 0), 0),
    },
    models,
    spend_per_day: { models: names, ...series(spendPoints, names, 86_400_000) },
    latency: {
      bucket_ms: size,
      t: buckets.map((b) => b / 1000),
      p50: overTime.map((p) => p.p50_ms),
      p95: overTime.map((p) => p.p95_ms),
      p99: overTime.map((p) => p.p99_ms),
    },
  };
}
