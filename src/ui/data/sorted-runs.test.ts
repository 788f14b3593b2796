// Order statistics across ascending runs equal indexing the sorted union: every k, runs of any sizes (empty ones
// too), ties within and across runs; the percentile matches `ballast stats`' nearest rank over the union.
import assert from "node:assert/strict";
import { test } from "node:test";
import fc from "fast-check";
import { percentile } from "../../observe/index.js";
import { kthOfRuns, percentileOfRuns } from "./sorted-runs.js";

// small integers make ties common; halves keep fractional latencies in play
const runs = fc
  .array(fc.array(fc.integer({ min: 0, max: 40 }).map((n) => n / 2)), { maxLength: 12 })
  .map((rs) => rs.map((r) => Float64Array.from(r).sort()));

test("the k-th smallest of the runs is the k-th of their sorted union, for every k", () => {
  fc.assert(
    fc.property(runs, (rs) => {
      const union = rs.flatMap((r) => [...r]).sort((a, b) => a - b);
      for (let k = 0; k < union.length; k++) assert.equal(kthOfRuns(rs, k), union[k]);
      assert.equal(kthOfRuns(rs, union.length), undefined);
      assert.equal(kthOfRuns(rs, -1), undefined);
    }),
  );
});

test("percentiles over the runs equal the nearest-rank percentiles of the union", () => {
  fc.assert(
    fc.property(runs, fc.integer({ min: 1, max: 100 }), (rs, p) => {
      const union = rs.flatMap((r) => [...r]).sort((a, b) => a - b);
      assert.equal(percentileOfRuns(rs, p), percentile(union, p));
    }),
  );
});

test("many long runs: a month of hourly-sized runs", () => {
  let seed = 7;
  const next = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31) * 1000;
  const rs = Array.from({ length: 700 }, (_, i) => Float64Array.from({ length: (i * 37) % 300 }, next).sort());
  const union = rs.flatMap((r) => [...r]).sort((a, b) => a - b);
  for (const p of [1, 50, 95, 99, 100]) assert.equal(percentileOfRuns(rs, p), percentile(union, p));
});
