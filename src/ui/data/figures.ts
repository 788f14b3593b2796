/** Small arithmetic shared by the views: shares, exact nearest-rank percentiles, time buckets. */
import { percentileOfRuns } from "./sorted-runs.js";

export const share = (part: number, whole: number): number | null => (whole > 0 ? part / whole : null);

/**
 * p50/p95/p99 of the values in the chunks, as `ballast stats` computes them. Every chunk is ascending (as
 * `readTallies` returns them): the percentiles are selected across the runs, with no merge and no sort.
 */
export function percentiles(chunks: ReadonlyArray<ArrayLike<number>>): {
  p50_ms: number | null;
  p95_ms: number | null;
  p99_ms: number | null;
} {
  return { p50_ms: percentileOfRuns(chunks, 50), p95_ms: percentileOfRuns(chunks, 95), p99_ms: percentileOfRuns(chunks, 99) };
}

const DAY_MS = 86_400_000;

/** Hourly points for windows up to three days, daily ones beyond. */
export function bucketSize(since: number, now: number): number {
  return since > 0 && now - since <= 3 * DAY_MS ? 3_600_000 : DAY_MS;
}

/** Groups values by time bucket into ascending series: `t` (seconds, for uPlot) and one array per name. */
export function series<K extends string>(
  points: Iterable<{ at: number; values: Partial<Record<K, number>> }>,
  names: readonly K[],
  size: number,
): { t: number[] } & Record<K, Array<number | null>> {
  const byBucket = new Map<number, Map<string, number>>();
  for (const p of points) {
    const b = Math.floor(p.at / size) * size;
    const acc = byBucket.get(b) ?? new Map<string, number>();
    for (const n of names) {
      const v = p.values[n];
      if (v !== undefined) acc.set(n, (acc.get(n) ?? 0) + v);
    }
    byBucket.set(b, acc);
  }
  const buckets = [...byBucket.keys()].sort((a, b) => a - b);
  const out: Record<string, Array<number | null>> = { t: buckets.map((b) => b / 1000) };
  for (const n of names) out[n] = buckets.map((b) => byBucket.get(b)!.get(n) ?? null);
  return out as { t: number[] } & Record<K, Array<number | null>>;
}
