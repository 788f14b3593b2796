/** Runs test/fixtures/corpus/repair-schema.jsonl through the public recover(text, { schema }) and scores it like score.mjs.
 * Prints a per-category table; fails below the 70% target (best peer: 38%). */
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { test } from "node:test";
import { type RecoverOptions, recover } from "../../src/recovery/index.js";
import type { JsonSchema } from "../../src/core/json-schema.js";

interface Case {
  id: string;
  category: string;
  input: string;
  schema: JsonSchema;
  expected: unknown;
  expect_fail?: boolean;
  also?: unknown[];
  mode?: "final" | "partial";
}

const TARGET = 0.7;
const corpus = new URL("../fixtures/corpus/repair-schema.jsonl", import.meta.url);
const cases: Case[] = readFileSync(corpus, "utf8")
  .split("\n")
  .filter((line) => line.trim())
  .map((line) => JSON.parse(line) as Case);

/** Key order ignored, as in score.mjs. */
const canonical = (v: unknown): string =>
  JSON.stringify(v, (_k, x) => (x && typeof x === "object" && !Array.isArray(x) ? Object.fromEntries(Object.entries(x).sort()) : x));

function passes(c: Case): boolean {
  // Partial-mode cases ask for partial values; recover() forwards `mode` once it supports it.
  const options = { schema: c.schema, mode: c.mode } as RecoverOptions;
  const result = recover(c.input, options);
  const expectFail = c.expect_fail ?? c.expected === null;
  if (expectFail) return !result.ok;
  return result.ok && [c.expected, ...(c.also ?? [])].some((e) => canonical(e) === canonical(result.value));
}

test(`repair-schema corpus: at least ${TARGET * 100}% through recover(text, { schema })`, () => {
  const rows = new Map<string, { n: number; pass: number }>();
  const failed: string[] = [];
  let passed = 0;
  for (const c of cases) {
    const ok = passes(c);
    if (ok) passed++;
    else failed.push(c.id);
    const row = rows.get(c.category) ?? { n: 0, pass: 0 };
    row.n++;
    if (ok) row.pass++;
    rows.set(c.category, row);
  }
  const lines = [...rows].sort((a, b) => b[1].n - a[1].n).map(([cat, r]) => `  ${cat.padEnd(26)} ${String(r.pass).padStart(3)}/${r.n}`);
  const rate = passed / cases.length;
  console.log(`repair-schema.jsonl by category:\n${lines.join("\n")}`);
  console.log(`  ${"total".padEnd(26)} ${passed}/${cases.length} (${(100 * rate).toFixed(1)}%)`);
  console.log(`  failing: ${failed.join(" ")}`);
  assert.equal(cases.length, 392);
  assert.ok(rate >= TARGET, `pass rate ${(100 * rate).toFixed(1)}% is below the ${TARGET * 100}% target`);
});
