/**
 * Exact order statistics over many sorted runs without merging them: the k-th smallest value is found by
 * bisecting on the value and counting, in each run, how many are <= it (binary search). For a month of
 * rollups (~9k runs, 1M values) this is ~10x cheaper than concatenating and sorting (measured in bench/ui).
 */

/** How many values of the ascending run are <= x. */
function countAtMost(run: ArrayLike<number>, x: number): number {
  let lo = 0;
  let hi = run.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (run[mid]! <= x) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** Ascending runs: rollup rows arrive sorted; a raw fold's plain arrays are sorted here. */
export function sortedRuns(chunks: Iterable<ArrayLike<number>>): Float64Array[] {
  const runs: Float64Array[] = [];
  for (const c of chunks) {
    if (c.length === 0) continue;
    runs.push(c instanceof Float64Array ? c : Float64Array.from(c).sort());
  }
  return runs;
}

/** The k-th smallest (1-based) value over the runs; null when there are fewer than k. */
export function kthSmallest(runs: readonly Float64Array[], k: number): number | null {
  let total = 0;
  let lo = Number.POSITIVE_INFINITY;
  let hi = Number.NEGATIVE_INFINITY;
  for (const r of runs) {
    total += r.length;
    if (r[0]! < lo) lo = r[0]!;
    if (r[r.length - 1]! > hi) hi = r[r.length - 1]!;
  }
  if (k < 1 || k > total) return null;
  const atMost = (x: number): number => {
    let n = 0;
    for (const r of runs) n += countAtMost(r, x);
    return n;
  };
  if (atMost(lo) >= k) return lo;
  // invariant: fewer than k values are <= lo, at least k are <= hi; stop when no double lies between them
  for (;;) {
    const mid = lo + (hi - lo) / 2;
    if (mid <= lo || mid >= hi) return hi;
    if (atMost(mid) >= k) hi = mid;
    else lo = mid;
    // snap hi down to the largest value <= hi that is in a run, so the answer is a stored value
    let snapped = Number.NEGATIVE_INFINITY;
    for (const r of runs) {
      const i = countAtMost(r, hi);
      if (i > 0 && r[i - 1]! > snapped) snapped = r[i - 1]!;
    }
    hi = snapped;
  }
}
