/**
 * `npm run bench -- recovery`: Ballast's recovery against jsonrepair (and JSON.parse) on speed, linearity,
 * streaming and the public corpora. Prints readable tables; the last line is `RESULT recovery {json}`.
 * `npm run bench -- recovery --misses`: the corpora only, each case Ballast misses listed with its input,
 * the expected value and what recovery gave (no speed runs).
 */
import { jsonrepair } from "jsonrepair";
import { createIncrementalParser, recover } from "../../src/recovery/index.js";
import { repair } from "../../src/recovery/recover.js";
import { runCorpora } from "./corpora.js";
import { brokenDocument, makeRecords, type SampleRecord, validDocument } from "./documents.js";

if (process.argv.includes("--misses")) {
  console.log(`RESULT recovery ${JSON.stringify({ corpora: runCorpora(true) })}`);
  process.exit(0);
}

const MB = 1024 * 1024;
const gc = (globalThis as { gc?: () => void }).gc ?? (() => {});

/** Best wall time of `runs` runs (after one warm-up), in milliseconds; `clean` collects garbage before each. */
function time(fn: () => unknown, runs = 5, clean = true): number {
  fn();
  let best = Number.POSITIVE_INFINITY;
  for (let i = 0; i < runs; i++) {
    if (clean) gc();
    const started = performance.now();
    fn();
    best = Math.min(best, performance.now() - started);
  }
  return best;
}

const mbps = (chars: number, ms: number) => chars / MB / (ms / 1000);
const fmt = (x: number, digits = 1) => (Number.isFinite(x) ? x.toFixed(digits) : "-");
const row = (cells: Array<string | number>, widths: number[]) =>
  cells.map((c, i) => (i === 0 ? String(c).padEnd(widths[i]!) : String(c).padStart(widths[i]!))).join("  ");

function viaJsonrepair(text: string): unknown {
  return JSON.parse(jsonrepair(text));
}

// ------------------------------------------------------------------ valid 10 MB
// the records are rebuilt after the parse timings so that they do not weigh on the garbage collector meanwhile
const valid = validDocument(makeRecords(10 * MB));
console.log(`\n## Valid document: ${fmt(valid.length / MB)} MB\n`);
const parseMs = time(() => JSON.parse(valid));
const rawMs = time(() => repair(valid, null));
const fastMs = time(() => recover(valid));
const jrValidMs = time(() => viaJsonrepair(valid), 1);
// steady state: the same runs back to back without forcing a collection first (each pays for its own garbage)
const parseSteadyMs = time(() => JSON.parse(valid), 5, false);
const rawSteadyMs = time(() => repair(valid, null), 5, false);
const incrementalMs = time(() => {
  const parser = createIncrementalParser();
  for (let i = 0; i < valid.length; i += 64) parser.push(valid.slice(i, i + 64));
  parser.end();
}, 3);
const fastSteadyMs = time(() => recover(valid), 5, false);
const incrementalSteadyMs = time(
  () => {
    const parser = createIncrementalParser();
    for (let i = 0; i < valid.length; i += 64) parser.push(valid.slice(i, i + 64));
    parser.end();
  },
  3,
  false,
);
const w1 = [34, 10, 10, 14];
console.log(row(["parser", "ms", "MB/s", "x JSON.parse"], w1));
for (const [name, ms] of [
  ["JSON.parse", parseMs],
  ["ballast raw parser (no fast path)", rawMs],
  ["ballast recover() (fast path)", fastMs],
  ["jsonrepair + JSON.parse", jrValidMs],
] as const) {
  console.log(row([name, fmt(ms, 0), fmt(mbps(valid.length, ms)), fmt(parseMs / ms, 2)], w1));
}
console.log("(best of 5, garbage collected before each run; back to back without that:");
console.log(
  ` JSON.parse ${fmt(parseSteadyMs, 0)} ms, ballast raw parser ${fmt(rawSteadyMs, 0)} ms = ${fmt(parseSteadyMs / rawSteadyMs, 2)}x JSON.parse)`,
);

// ------------------------------------------------------------------ broken 10 MB, cut at 97%
const records = makeRecords(10 * MB);
const brokenFull = brokenDocument(records);
const broken = brokenFull.slice(0, Math.floor(brokenFull.length * 0.97));
const completeRecords = countComplete(brokenFull, broken.length);
function countComplete(full: string, cut: number): number {
  // records end with "}," at the end of their line
  let count = 0;
  let at = full.indexOf("},\n");
  while (at >= 0 && at + 2 <= cut) {
    count++;
    at = full.indexOf("},\n", at + 3);
  }
  return count;
}
function recoveredComplete(value: unknown, expected: SampleRecord[], complete: number): number {
  if (!Array.isArray(value)) return 0;
  let ok = 0;
  for (let i = 0; i < complete && i < value.length; i++) {
    if (JSON.stringify(value[i]) === JSON.stringify(expected[i])) ok++;
  }
  return ok;
}
console.log(
  `\n## Broken document: ${fmt(broken.length / MB)} MB (single quotes, trailing commas, cut at 97%), ${completeRecords} complete records\n`,
);
let brokenValue: unknown;
const brokenMs = time(() => {
  const r = recover(broken);
  brokenValue = r.ok ? r.value : null;
});
const ballastRecovered = recoveredComplete(brokenValue, records, completeRecords);
// jsonrepair is quadratic on trailing commas: measure it on growing prefixes until one takes > 4 s
const jrRows: Array<{ mb: number; ms: number; recovered: number; complete: number }> = [];
for (const size of [0.125, 0.25, 0.5, 1]) {
  const full = brokenDocument(makeRecords(size * MB));
  const cut = full.slice(0, Math.floor(full.length * 0.97));
  const complete = countComplete(full, cut.length);
  let value: unknown = null;
  const started = performance.now();
  try {
    value = viaJsonrepair(cut);
  } catch {}
  const ms = performance.now() - started;
  jrRows.push({ mb: cut.length / MB, ms, recovered: recoveredComplete(value, makeRecords(size * MB), complete), complete });
  if (ms > 2000) break;
}
const w2 = [34, 10, 10, 10, 22];
console.log(row(["parser", "MB", "ms", "MB/s", "complete recovered"], w2));
console.log(
  row(
    [
      "ballast recover()",
      fmt(broken.length / MB),
      fmt(brokenMs, 0),
      fmt(mbps(broken.length, brokenMs)),
      `${ballastRecovered}/${completeRecords}`,
    ],
    w2,
  ),
);
for (const r of jrRows) {
  console.log(
    row(["jsonrepair (capped input)", fmt(r.mb, 2), fmt(r.ms, 0), fmt(r.mb / (r.ms / 1000)), `${r.recovered}/${r.complete}`], w2),
  );
}
console.log("(jsonrepair is quadratic on trailing commas: it only gets growing prefixes, stopping after one takes > 2 s)");

// ------------------------------------------------------------------ scaling
console.log("\n## Scaling (broken document, cut at 97%): linear time\n");
const scaling: Array<{ mb: number; ms: number; mbps: number }> = [];
const w3 = [10, 10, 10, 16];
console.log(row(["MB", "ms", "MB/s", "ms per MB"], w3));
for (const size of [1, 2, 4, 8]) {
  const full = brokenDocument(makeRecords(size * MB));
  const cut = full.slice(0, Math.floor(full.length * 0.97));
  const ms = time(() => recover(cut));
  scaling.push({ mb: size, ms, mbps: mbps(cut.length, ms) });
  console.log(row([size, fmt(ms, 0), fmt(mbps(cut.length, ms)), fmt(ms / (cut.length / MB), 2)], w3));
}

// ------------------------------------------------------------------ incremental
console.log("\n## Incremental: the valid document in 64-byte chunks\n");

const w4 = [40, 10, 16];
console.log(row(["mode", "ms", "x one-shot"], w4));
console.log(row(["one-shot recover() (fast path)", fmt(fastMs, 0), "1.00"], w4));
console.log(row(["one-shot raw parser", fmt(rawMs, 0), fmt(rawMs / fastMs, 2)], w4));
console.log(row(["incremental, 64-byte chunks", fmt(incrementalMs, 0), fmt(incrementalMs / fastMs, 2)], w4));
console.log(`incremental vs raw parser: ${fmt(incrementalMs / rawMs, 2)}x`);
console.log(
  `back to back without forced collections: incremental ${fmt(incrementalSteadyMs, 0)} ms vs one-shot recover() ${fmt(fastSteadyMs, 0)} ms = ${fmt(incrementalSteadyMs / fastSteadyMs, 2)}x, vs raw parser ${fmt(incrementalSteadyMs / rawSteadyMs, 2)}x`,
);

// ------------------------------------------------------------------ corpora
const corpora = runCorpora(false);

const result = {
  valid: {
    mb: Number(fmt(valid.length / MB, 2)),
    jsonParseMBps: Number(fmt(mbps(valid.length, parseMs))),
    rawMBps: Number(fmt(mbps(valid.length, rawMs))),
    rawVsJsonParse: Number(fmt(parseMs / rawMs, 2)),
    rawVsJsonParseSteady: Number(fmt(parseSteadyMs / rawSteadyMs, 2)),
    fastPathMBps: Number(fmt(mbps(valid.length, fastMs))),
    fastPathVsJsonParse: Number(fmt(parseMs / fastMs, 2)),
    jsonrepairMBps: Number(fmt(mbps(valid.length, jrValidMs))),
  },
  broken: {
    mb: Number(fmt(broken.length / MB, 2)),
    ballastMBps: Number(fmt(mbps(broken.length, brokenMs))),
    completeRecords,
    ballastRecovered,
    jsonrepair: jrRows.map((r) => ({ mb: Number(fmt(r.mb, 2)), ms: Math.round(r.ms), recovered: r.recovered, complete: r.complete })),
  },
  scaling: scaling.map((s) => ({ mb: s.mb, ms: Math.round(s.ms), mbps: Number(fmt(s.mbps)) })),
  incremental: {
    chunk: 64,
    ms: Math.round(incrementalMs),
    vsOneShotFastPath: Number(fmt(incrementalMs / fastMs, 2)),
    vsOneShotRaw: Number(fmt(incrementalMs / rawMs, 2)),
    steadyVsOneShotFastPath: Number(fmt(incrementalSteadyMs / fastSteadyMs, 2)),
    steadyVsOneShotRaw: Number(fmt(incrementalSteadyMs / rawSteadyMs, 2)),
  },
  corpora,
};
console.log(`RESULT recovery ${JSON.stringify(result)}`);
