/**
 * Shared by the corpus tests and the recovery bench: loads a corpus from test/fixtures/corpus/ (a copy kept
 * in the repository, sources and licences in its README) and scores answers by deep-equality ignoring key
 * order, `also` alternatives accepted.
 */
import { readFileSync } from "node:fs";

export interface CorpusCase {
  id: string;
  category: string;
  input: string;
  schema?: unknown;
  expected: unknown;
  also?: unknown[];
  expect_fail?: boolean;
}

export type Answer = { ok: true; value: unknown } | { ok: false };

export function corpusUrl(name: string): URL {
  return new URL(`../fixtures/corpus/${name}`, import.meta.url);
}

export function loadCorpus(name: string): CorpusCase[] {
  return readFileSync(corpusUrl(name), "utf8")
    .split("\n")
    .filter((line) => line.trim() !== "")
    .map((line) => JSON.parse(line) as CorpusCase);
}

function canonical(value: unknown): string {
  return JSON.stringify(value, (_key, x) =>
    x && typeof x === "object" && !Array.isArray(x) ? Object.fromEntries(Object.entries(x).sort()) : x,
  );
}

export function passes(c: CorpusCase, answer: Answer): boolean {
  const expectFail = c.expect_fail ?? c.expected === null;
  if (expectFail) return answer.ok === false;
  if (!answer.ok) return false;
  const got = canonical(answer.value);
  return [c.expected, ...(c.also ?? [])].some((e) => canonical(e) === got);
}

export interface Score {
  passed: number;
  total: number;
  byCategory: Map<string, { n: number; pass: number }>;
  failures: string[];
}

export function score(cases: CorpusCase[], answer: (c: CorpusCase) => Answer): Score {
  const byCategory = new Map<string, { n: number; pass: number }>();
  const failures: string[] = [];
  let passed = 0;
  for (const c of cases) {
    const ok = passes(c, answer(c));
    if (ok) passed++;
    else failures.push(c.id);
    const row = byCategory.get(c.category) ?? { n: 0, pass: 0 };
    row.n++;
    if (ok) row.pass++;
    byCategory.set(c.category, row);
  }
  return { passed, total: cases.length, byCategory, failures };
}

/** Per-category table, biggest categories first; extra columns come from further scores of the same cases. */
export function categoryTable(columns: Array<[string, Score]>): string {
  const first = columns[0]![1];
  const header = `${"category".padEnd(24)}${columns.map(([name]) => name.padStart(14)).join("")}`;
  const rows = [...first.byCategory.entries()]
    .sort((a, b) => b[1].n - a[1].n)
    .map(([category]) => {
      const cells = columns.map(([, s]) => {
        const row = s.byCategory.get(category)!;
        return `${row.pass}/${row.n}`.padStart(14);
      });
      return `${category.padEnd(24)}${cells.join("")}`;
    });
  const total = columns.map(([, s]) => `${((100 * s.passed) / s.total).toFixed(1)}%`.padStart(14)).join("");
  return [header, ...rows, `${"TOTAL".padEnd(24)}${total}`].join("\n");
}
