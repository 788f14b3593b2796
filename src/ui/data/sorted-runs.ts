/**
 * Order statistics over many ascending runs without merging them: the k-th smallest value of their union, found by
 * narrowing each run's live range around a pivot (the weighted median of the runs' middles, so each round drops at
 * least a quarter of the values still live). A month of latencies (~700 runs, 1M values) costs a few thousand
 * binary searches instead of one 1M-value sort.
 */

/** Index of the first value in run[lo, hi) that is >= x (or > x with `after`). */
// biome-ignore lint/complexity/useMaxParams: the innermost loop of the search; an options object per probe would allocate.
function bound(run: ArrayLike<number>, x: number, lo: number, hi: number, after: boolean): number {
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    const v = run[mid]!;
    if (v < x || (after && v === x)) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** The k-th smallest (0-based) value of the union of ascending runs; undefined when k is out of range. */
export function kthOfRuns(runs: ReadonlyArray<ArrayLike<number>>, k: number): number | undefined {
  const live = runs.filter((r) => r.length > 0);
  const lo = live.map(() => 0);
  const hi = live.map((r) => r.length);
  let total = hi.reduce((s, n) => s + n, 0);
  if (!Number.isInteger(k) || k < 0 || k >= total) return undefined;
  const middles: Array<{ value: number; weight: number }> = [];
  for (;;) {
    middles.length = 0;
    let only = -1;
    for (let i = 0; i < live.length; i++) {
      const n = hi[i]! - lo[i]!;
      if (n === 0) continue;
      only = only === -1 ? i : -2;
      middles.push({ value: live[i]![(lo[i]! + hi[i]!) >>> 1]!, weight: n });
    }
    if (only >= 0) return live[only]![lo[only]! + k]!; // one run left: index into it
    middles.sort((a, b) => a.value - b.value);
    let pivot = middles[0]!.value;
    for (let acc = 0, i = 0; i < middles.length; i++) {
      acc += middles[i]!.weight;
      if (2 * acc >= total) {
        pivot = middles[i]!.value;
        break;
      }
    }
    let below = 0;
    let upTo = 0;
    const less = new Array<number>(live.length);
    const notMore = new Array<number>(live.length);
    for (let i = 0; i < live.length; i++) {
      if (hi[i] === lo[i]) {
        less[i] = notMore[i] = lo[i]!;
        continue;
      }
      less[i] = bound(live[i]!, pivot, lo[i]!, hi[i]!, false);
      notMore[i] = bound(live[i]!, pivot, less[i]!, hi[i]!, true);
      below += less[i]! - lo[i]!;
      upTo += notMore[i]! - lo[i]!;
    }
    if (k < below) {
      for (let i = 0; i < live.length; i++) hi[i] = less[i]!;
      total = below;
    } else if (k < upTo) return pivot;
    else {
      for (let i = 0; i < live.length; i++) lo[i] = notMore[i]!;
      k -= upTo;
      total -= upTo;
    }
  }
}

/** Nearest-rank percentile (as `ballast stats` computes it) of the union of ascending runs; null when they are empty. */
export function percentileOfRuns(runs: ReadonlyArray<ArrayLike<number>>, p: number): number | null {
  let n = 0;
  for (const r of runs) n += r.length;
  if (n === 0) return null;
  const rank = Math.ceil((p / 100) * n);
  return kthOfRuns(runs, Math.min(n - 1, Math.max(0, rank - 1))) ?? null;
}
