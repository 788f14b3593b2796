/**
 * The public repair corpus (test/fixtures/corpus/repair.jsonl) through recover(): fails below 93% passed, and
 * prints the per-category table.
 */
import assert from "node:assert/strict";
import { test } from "node:test";
import { recover } from "../../src/recovery/index.js";
import { categoryTable, loadCorpus, score } from "./corpus-helpers.js";

const TARGET = 0.93;

test("repair.jsonl: recover() passes at least 93% of cases", () => {
  const cases = loadCorpus("repair.jsonl");
  const result = score(cases, (c) => {
    const r = recover(c.input);
    return r.ok ? { ok: true, value: r.value } : { ok: false };
  });
  console.log(categoryTable([["ballast", result]]));
  console.log(`failing: ${result.failures.join(" ")}`);
  const rate = result.passed / result.total;
  assert.ok(rate >= TARGET, `pass rate ${(100 * rate).toFixed(1)}% is below ${100 * TARGET}%`);
});
