/**
 * The corpus part of the recovery bench: Ballast (given the schema on the schema corpus), jsonrepair and
 * JSON.parse scored on each public corpus, side by side per category; on request, every case Ballast misses
 * with its input, the expected value and what recovery gave.
 */
import { jsonrepair } from "jsonrepair";
import { recover } from "../../src/recovery/index.js";
import { type Answer, type CorpusCase, categoryTable, passes, type Score, score } from "../../test/recovery/corpus-helpers.js";
import { loadCorpus } from "./corpus.js";

const CORPORA = [
  ["repair.jsonl", false],
  ["repair-schema.jsonl", true],
] as const;

function answers(cases: CorpusCase[], run: (c: CorpusCase) => unknown): Score {
  return score(cases, (c): Answer => {
    try {
      return { ok: true, value: run(c) };
    } catch {
      return { ok: false };
    }
  });
}

function ballast(c: CorpusCase, withSchema: boolean) {
  return recover(c.input, withSchema ? { schema: (c.schema ?? null) as never } : {});
}

const clip = (text: string, max = 300) => (text.length > max ? `${text.slice(0, max)}…` : text);

function printMisses(cases: CorpusCase[], withSchema: boolean): void {
  for (const c of cases) {
    const r = ballast(c, withSchema);
    if (passes(c, r.ok ? { ok: true, value: r.value } : { ok: false })) continue;
    console.log(`\nMISS ${c.id} [${c.category}]`);
    console.log(`  input:    ${clip(JSON.stringify(c.input))}`);
    console.log(`  expected: ${c.expect_fail ? "failure" : clip(JSON.stringify(c.expected))}`);
    console.log(`  got:      ${r.ok ? clip(JSON.stringify(r.value)) : `failure (${clip(r.error, 160)})`}`);
    console.log(`  steps:    ${clip(r.steps.join(" "), 160)}`);
  }
}

/** Scores every corpus and prints its table (and its misses when asked); pass rates in percent per parser. */
export function runCorpora(misses: boolean): Record<string, Record<string, number>> {
  const corpora: Record<string, Record<string, number>> = {};
  for (const [name, withSchema] of CORPORA) {
    const cases = loadCorpus(name);
    const columns: Array<[string, Score]> = [
      [
        "ballast",
        answers(cases, (c) => {
          const r = ballast(c, withSchema);
          if (!r.ok) throw new Error(r.error);
          return r.value;
        }),
      ],
      ["jsonrepair", answers(cases, (c) => JSON.parse(jsonrepair(c.input)))],
      ["JSON.parse", answers(cases, (c) => JSON.parse(c.input))],
    ];
    console.log(`\n## Corpus ${name} (${cases.length} cases${withSchema ? ", ballast given the schema" : ""})\n`);
    console.log(categoryTable(columns));
    if (misses) printMisses(cases, withSchema);
    corpora[name] = Object.fromEntries(columns.map(([n, s]) => [n, Number(((100 * s.passed) / s.total).toFixed(1))]));
  }
  return corpora;
}
