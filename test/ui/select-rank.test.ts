// The dashboard's exact percentiles over rollup runs: the k-th smallest found by bisection equals the k-th of
// the merged, sorted values, for any runs (duplicates, negatives, one value, thousands).
import assert from "node:assert/strict";
import { test } from "node:test";
import fc from "fast-check";
import { kthSmallest, sortedRuns } from "../../src/ui/data/select-rank.js";

test("kthSmallest over sorted runs equals the k-th value of the merged sort", () => {
  const value = fc.oneof(fc.double({ min: -1e6, max: 1e6, noNaN: true }), fc.integer({ min: 0, max: 20 }));
  fc.assert(
    fc.property(fc.array(fc.array(value, { maxLength: 40 }), { minLength: 1, maxLength: 12 }), fc.nat(), (chunks, pick) => {
      const all = chunks.flat().sort((a, b) => a - b);
      const runs = sortedRuns(chunks);
      if (all.length === 0) return assert.equal(kthSmallest(runs, 1), null);
      const k = (pick % all.length) + 1;
      assert.equal(kthSmallest(runs, k), all[k - 1]);
      assert.equal(kthSmallest(runs, all.length + 1), null);
    }),
    { numRuns: 400 },
  );
});
