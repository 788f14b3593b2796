/**
 * `npm run bench -- hostile-input`: recovery time on pathological inputs (quote and comma runs, a 50 MB
 * reply, binary noise) at 1x and 4x size, Ballast's recover() beside jsonrepair. Linear work shows as a
 * growth close to 4x. These are the speed claims the unit tests no longer make with a clock.
 */
import { jsonrepair } from "jsonrepair";
import { recover } from "../../src/recovery/index.js";

const cases: Array<[string, (n: number) => string]> = [
  ["comma run in a string", (n) => `{"a": "${"x,".repeat(n)}`],
  ["quote run in a string", (n) => `{"a": "${'x" '.repeat(n)}"}`],
  ["quoted commas in an array", (n) => `["${'a, "'.repeat(n / 2)}]`],
  ["string concatenation", (n) => `${"'a' + ".repeat(n / 2)}'b'`],
  ["bare words as keys", (n) => `{${"a b c ".repeat(n / 2)}}`],
  ["markdown in a value", (n) => `{"a": **${'some words, "quoted" '.repeat(n / 4)}}`],
  ["unquoted list lines", (n) => `{"a": x${", y\n".repeat(n / 2)}}`],
  ["binary noise", (n) => "\u0000{[\"'\\".repeat(n * 4)],
  ["50 MB-scale reply, single quotes", (n) => `Sure: {'text': '${"lorem ipsum 'dolor' sit \"amet\", ".repeat(n * 8)}', 'n': 1,`],
];

function time(fn: () => unknown): number {
  let best = Number.POSITIVE_INFINITY;
  for (let i = 0; i < 3; i++) {
    const started = performance.now();
    fn();
    best = Math.min(best, performance.now() - started);
  }
  return best;
}

/** True when jsonrepair returned text; a thrown repair error is an answer too (it gives up at once). */
function jsonrepairSafe(text: string): boolean {
  try {
    jsonrepair(text);
    return true;
  } catch {
    return false;
  }
}

const N = 50_000;
const rows: Array<{ name: string; ballast: [number, number]; jsonrepair: [number, number] | null }> = [];
console.log(
  `${"input".padEnd(34)}${"ballast 1x ms".padStart(15)}${"4x ms".padStart(10)}${"growth".padStart(8)}${"jsonrepair 1x".padStart(15)}${"4x ms".padStart(10)}${"growth".padStart(8)}`,
);
for (const [name, make] of cases) {
  const small = make(N);
  const large = make(4 * N);
  const b: [number, number] = [time(() => recover(small)), time(() => recover(large))];
  // jsonrepair is quadratic on some of these and gives up on others: probe it on an eighth of the input, time
  // it only when that is quick and it answers at all ("-" in the table)
  const probe = make(N / 8);
  const started = performance.now();
  jsonrepairSafe(probe);
  const quick = performance.now() - started < 100 && jsonrepairSafe(small);
  const j: [number, number] | null = quick ? [time(() => jsonrepairSafe(small)), time(() => jsonrepairSafe(large))] : null;
  const jrSmall = j?.[0];
  rows.push({ name, ballast: b, jsonrepair: j });
  const cell = (x: number | undefined, w: number) => (x === undefined ? "-" : x.toFixed(1)).padStart(w);
  console.log(
    `${name.padEnd(34)}${cell(b[0], 15)}${cell(b[1], 10)}${cell(b[1] / b[0], 8)}${cell(jrSmall, 15)}${cell(j?.[1], 10)}${cell(j ? j[1] / j[0] : undefined, 8)}`,
  );
}
const worst = Math.max(...rows.map((r) => r.ballast[1] / r.ballast[0]));
console.log(`\nworst Ballast growth for 4x input: ${worst.toFixed(1)}x (linear is 4x)`);
console.log(
  `RESULT hostile-input ${JSON.stringify({
    n: N,
    worstBallastGrowth: Number(worst.toFixed(2)),
    cases: rows.map((r) => ({
      name: r.name,
      ballastMs: r.ballast.map((x) => Math.round(x * 10) / 10),
      jsonrepairMs: r.jsonrepair?.map((x) => Math.round(x * 10) / 10) ?? null,
    })),
  })}`,
);
