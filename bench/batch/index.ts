import { mkdtempSync, readFileSync } from "node:fs";
import { cpus, loadavg, tmpdir } from "node:os";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { buildThenPin, startSimulatorProcess } from "../shared/pinned-simulator.js";
import { ChatOpenAI } from "@langchain/openai";
import OpenAI from "openai";
import { z } from "zod";
import type { LanguageModel } from "../../src/core/language-model.js";

const { values: args } = parseArgs({
  options: {
    rows: { type: "string", default: "100000" },
    rounds: { type: "string", default: "5" },
    block: { type: "string", default: "1000" },
    concurrency: { type: "string", default: "32" },
  },
});
const ROWS = Number(args.rows);
const ROUNDS = Number(args.rounds);
const BLOCK = Number(args.block);
const CONCURRENCY = Number(args.concurrency);
for (const [name, v] of Object.entries({ rows: ROWS, rounds: ROUNDS, block: BLOCK, concurrency: CONCURRENCY }))
  if (!(Number.isInteger(v) && v > 0)) throw new Error(`--${name} must be a positive whole number, got ${String(v)}`);
const MODEL = "sim-bench";

const pinned = buildThenPin("BALLAST_BENCH_BATCH_PINNED");

const dist = (path: string) => new URL(`../../dist/${path}`, import.meta.url).href;
const { runBatch } = (await import(dist("batch/index.js"))) as typeof import("../../src/batch/index.js");
const { createBallast } = (await import(dist("client/index.js"))) as typeof import("../../src/client/index.js");
const { openai, leanFetch } = (await import(dist("providers/openai/index.js"))) as typeof import("../../src/providers/openai/index.js");
const { traceStoreFromOption } = (await import(
  dist("observe/trace-store/from-option.js")
)) as typeof import("../../src/observe/trace-store/from-option.js");

const dir = mkdtempSync(join(tmpdir(), "ballast-bench-batch-"));
const Ticket = z.object({ label: z.enum(["bug", "feature", "question"]), priority: z.number().int().min(1).max(5) });
const INSTRUCTIONS = "Classify the ticket.";
const inputOf = (i: number) => `ticket-${i}: the app crashes when I click save`;
function* rows(n: number, from = 0) {
  for (let i = from; i < from + n; i++) yield { id: i, input: inputOf(i) };
}
/** Row ids of each block never repeat (so no run's journal or the simulator's cache sees a row twice). */
let nextRow = 1_000_000;
const take = (n: number) => {
  const from = nextRow;
  nextRow += n;
  return from;
};

async function startSim(): Promise<{ url: string; stop(): void; stats(): Promise<{ totalRequests: number }> }> {
  const { url, stop } = await startSimulatorProcess(pinned);
  return {
    url,
    stop,
    stats: async () =>
      (await fetch(`${url}/_ballast/stats`, { signal: AbortSignal.timeout(10_000) })).json() as Promise<{ totalRequests: number }>,
  };
}

const mb = (bytes: number) => bytes / 1024 / 1024;
const cpuMs = (c: NodeJS.CpuUsage) => (c.user + c.system) / 1000;
const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? (s[m] as number) : ((s[m - 1] as number) + (s[m] as number)) / 2;
};

const sim = await startSim();
const llm = createBallast({
  models: [openai(MODEL, { baseURL: `${sim.url}/v1`, apiKey: "x" })],
  traces: join(dir, "traces.db"),
  reasks: 0,
});
const task = llm.task({ name: "ticket-triage", schema: Ticket, instructions: INSTRUCTIONS, fallback: { label: "question", priority: 3 } });
let journals = 0;

/** One Ballast run over `n` fresh rows, journal + output + traces on. */
function ballastRun(n: number, onRow?: (done: number) => Promise<void> | undefined) {
  const from = take(n);
  const k = journals++;
  const run = runBatch(task, rows(n, from), {
    journal: join(dir, `out-${k}.jsonl.journal.db`),
    output: { path: join(dir, `out-${k}.jsonl`) },
    concurrency: CONCURRENCY,
  });
  return (async () => {
    let done = 0;
    for await (const r of run) {
      if (r.source !== "model") throw new Error(`row ${String(r.id)} ended on ${r.source}: ${JSON.stringify(r.errors)}`);
      done++;
      await onRow?.(done); // not onRow?.(++done): an absent onRow would skip the increment
    }
    return done;
  })();
}

// The raw SDK sends the body Ballast sends (captured once), with each row's ticket in place of the probe's.
const bodies: string[] = [];
const capturing = new OpenAI({
  apiKey: "x",
  baseURL: `${sim.url}/v1`,
  maxRetries: 0,
  fetch: async (input, init) => {
    if (typeof init?.body === "string") bodies.push(init.body);
    return fetch(input, init);
  },
});
const PROBE = "ticket-PROBE: the app crashes when I click save";
{
  const probe = createBallast({ models: [openai(MODEL, { client: capturing })], traces: false, reasks: 0 });
  const r = await probe.task({ name: "ticket-triage", schema: Ticket, instructions: INSTRUCTIONS })(PROBE);
  if (r.source !== "model" || bodies.length !== 1) throw new Error("the probe call did not capture one successful request");
}
const template = bodies[0] as string;
const raw = new OpenAI({ apiKey: "x", baseURL: `${sim.url}/v1`, maxRetries: 0 });
/** The same SDK over Ballast's transport, the fetch openai() gives the clients it creates. */
const rawLean = new OpenAI({ apiKey: "x", baseURL: `${sim.url}/v1`, maxRetries: 0, fetch: leanFetch });
const rawRun = (n: number) => sdkRun(raw, n);
const rawLeanRun = (n: number) => sdkRun(rawLean, n);
async function sdkRun(client: OpenAI, n: number) {
  let next = take(n);
  const end = next + n;
  let ok = 0;
  await Promise.all(
    Array.from({ length: CONCURRENCY }, async () => {
      while (next < end) {
        const body = JSON.parse(template.replace(PROBE, inputOf(next++))) as OpenAI.ChatCompletionCreateParamsNonStreaming;
        const res = await client.chat.completions.create(body);
        if (Ticket.safeParse(JSON.parse(res.choices[0]?.message.content ?? "null")).success) ok++;
      }
    }),
  );
  if (ok !== n) throw new Error(`raw SDK: ${n - ok} of ${n} replies did not fit the schema`);
  return ok;
}

const chat = new ChatOpenAI({ model: MODEL, apiKey: "x", configuration: { baseURL: `${sim.url}/v1` }, maxRetries: 0, temperature: 0 });
const structured = chat.withStructuredOutput(Ticket, { name: "ticket_triage" });
async function langchainRun(n: number) {
  const from = take(n);
  const out = await structured.batch(
    [...rows(n, from)].map((r) => [
      { role: "system", content: INSTRUCTIONS },
      { role: "user", content: r.input },
    ]),
    { maxConcurrency: CONCURRENCY },
  );
  return out.length;
}

/** Rows/s and client CPU ms per row of one block. */
async function block(run: (n: number) => Promise<number>, n: number) {
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  const done = await run(n);
  const seconds = (performance.now() - t0) / 1000;
  return { rowsPerSecond: done / seconds, cpuMsPerRow: cpuMs(process.cpuUsage(cpu0)) / done };
}

/**
 * Memory retained, not garbage waiting for a collection: full collections with pauses between them, so V8
 * hands the pages it freed back to the system (measured: RSS read 1 s after a collection still swung by
 * ~80 MB; after 3 s it settles within a few MB). Then RSS and the heap in use.
 */
async function settledMemory() {
  for (const ms of [1_000, 2_000]) {
    global.gc?.();
    await new Promise((r) => setTimeout(r, ms));
  }
  global.gc?.();
  const m = process.memoryUsage();
  return { rss: mb(m.rss), heap: mb(m.heapUsed) };
}

/** The main run: N rows in one batch, CPU per row, rows/s, memory at 10k rows and at the end. */
async function mainRun() {
  await ballastRun(500); // warm up (JIT, connections, price catalogue) on rows outside the measured set
  let at10k = { rss: 0, heap: 0 };
  let pausedMs = 0;
  let pausedCpu = 0;
  const load0 = loadavg()[0] as number;
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  const done = await ballastRun(ROWS, async (n) => {
    if (n !== Math.min(10_000, ROWS)) return;
    // while the reading stops, rows in flight finish and no new row starts: the pause is not measured
    const p0 = performance.now();
    const c0 = process.cpuUsage();
    at10k = await settledMemory();
    pausedCpu += cpuMs(process.cpuUsage(c0));
    pausedMs += performance.now() - p0;
  });
  const seconds = (performance.now() - t0 - pausedMs) / 1000;
  const cpu = cpuMs(process.cpuUsage(cpu0)) - pausedCpu;
  const atEnd = await settledMemory();
  return { rows: done, cpuMsPerRow: cpu / done, rowsPerSecond: done / seconds, at10k, atEnd, load: [load0, loadavg()[0] as number] };
}

/** Interleaved blocks, order rotated each round: medians per variant and of the per-round ratios. */
async function sideBySide() {
  const variants = [
    { name: "ballast", run: ballastRun },
    { name: "langchain", run: langchainRun },
    { name: "raw", run: rawRun },
    { name: "rawLean", run: rawLeanRun },
  ] as const;
  for (const v of variants) await v.run(Math.min(BLOCK, 200)); // warm each up
  const seen: Record<string, Array<{ rowsPerSecond: number; cpuMsPerRow: number }>> = { ballast: [], langchain: [], raw: [], rawLean: [] };
  const ratios: number[] = [];
  for (let round = 0; round < ROUNDS; round++) {
    const order = variants.map((_, i) => variants[(i + round) % variants.length] as (typeof variants)[number]);
    const got: Record<string, number> = {};
    for (const v of order) {
      const b = await block(v.run, BLOCK);
      seen[v.name]?.push(b);
      got[v.name] = b.rowsPerSecond;
    }
    ratios.push((got.ballast as number) / (got.langchain as number));
  }
  const summary = (name: string) => ({
    rowsPerSecond: median((seen[name] ?? []).map((b) => b.rowsPerSecond)),
    cpuMsPerRow: median((seen[name] ?? []).map((b) => b.cpuMsPerRow)),
  });
  return {
    ballast: summary("ballast"),
    langchain: summary("langchain"),
    raw: summary("raw"),
    rawLean: summary("rawLean"),
    ratio: median(ratios),
  };
}

/**
 * Ballast's own CPU per row: the same runs (journal + output + SQLite traces) over an in-process model that
 * answers at once, so no HTTP and no SDK: the part of the row's cost Ballast controls, steady whatever the
 * network stack costs on the machine. Median of blocks.
 */
async function ownWork() {
  const text = JSON.stringify({ label: "bug", priority: 2 });
  const usage = { inputTokens: 60, outputTokens: 12, cachedInputTokens: 0, cacheWriteTokens: 0, reasoningTokens: 0 };
  const inProcess: LanguageModel = {
    provider: "openai",
    modelId: MODEL,
    modes: ["json_schema"],
    supportsFrequencyPenalty: true,
    supportsN: true,
    price: { inputPerMTok: 0.15, outputPerMTok: 0.6 },
    // a turn of the event loop per answer, as a reply off the network takes (the trace store writes on its turns)
    generate: () =>
      new Promise((resolve) => setImmediate(() => resolve({ choices: [{ text, finishReason: "stop" }], usage, modelId: MODEL }))),
  };
  const ownTraces = join(dir, "own-traces.db");
  const own = createBallast({ models: [inProcess], traces: ownTraces, reasks: 0 });
  const store = traceStoreFromOption(ownTraces);
  const ownTask = own.task({
    name: "ticket-triage",
    schema: Ticket,
    instructions: INSTRUCTIONS,
    fallback: { label: "question", priority: 3 },
  });
  const run = async (n: number) => {
    const k = journals++;
    const r = runBatch(ownTask, rows(n, take(n)), {
      journal: join(dir, `own-${k}.db`),
      output: { path: join(dir, `own-${k}.jsonl`) },
      concurrency: CONCURRENCY,
    });
    const cpu0 = process.cpuUsage();
    await r.done();
    store?.flush(); // the block's traces written inside the block
    return (cpuMs(process.cpuUsage(cpu0)) * 1000) / n;
  };
  await run(2_000);
  const samples: number[] = [];
  for (let i = 0; i < 7; i++) samples.push(await run(2_000));
  own.close();
  return median(samples);
}

/** Stops a run half-way (as Ctrl-C does), resumes it, and counts rows lost and finished rows sent again. */
async function resume() {
  const n = 2_000;
  const from = take(n);
  const journal = join(dir, "resume.db");
  const output = { path: join(dir, "resume.jsonl") };
  const before = (await sim.stats()).totalRequests;
  const stop = new AbortController();
  let seen = 0;
  const first = runBatch(task, rows(n, from), { journal, output, concurrency: CONCURRENCY, signal: stop.signal });
  for await (const _ of first) if (++seen === n / 2) stop.abort();
  await runBatch(task, rows(n, from), { journal, output, concurrency: CONCURRENCY }).done();
  const sent = (await sim.stats()).totalRequests - before - 1; // minus the second stats call
  const ids = new Set(
    readFileSync(output.path, "utf8")
      .trim()
      .split("\n")
      .map((l) => (JSON.parse(l) as { id: number }).id),
  );
  return { lost: n - ids.size, resent: Math.max(0, sent - n) };
}

try {
  const b = await mainRun();
  const s = await sideBySide();
  const r = await resume();
  const ownUs = await ownWork();
  const growth = b.atEnd.rss - b.at10k.rss;
  const f = (x: number, d = 0) => x.toFixed(d);
  console.log(
    `\nbatch bench: node ${process.version}, ${cpus().length} core(s), concurrency ${CONCURRENCY}, zero-latency simulator in its own process${pinned ? " (client on core 1, simulator on core 0)" : ""}`,
  );
  console.log(
    `load average (1 min) ${f(b.load[0] as number, 2)} at the start of the main run, ${f(loadavg()[0] as number, 2)} at the end of the bench\n`,
  );
  console.log(`main run: Ballast runBatch, journal + output + SQLite traces, ${b.rows} rows`);
  console.log(`  client CPU ${f(b.cpuMsPerRow, 3)} ms/row, ${f(b.rowsPerSecond)} rows/s`);
  console.log(
    `  RSS ${f(b.at10k.rss)} MB at 10k rows -> ${f(b.atEnd.rss)} MB at ${b.rows} (heap in use ${f(b.at10k.heap)} -> ${f(b.atEnd.heap)} MB), each after a full collection\n`,
  );
  console.log(`side by side: ${ROUNDS} rounds x ${BLOCK} rows per variant, order rotated each round, medians`);
  console.log("| runner                                   | rows/s   | client CPU ms/row | CPU x raw SDK |");
  console.log("| ---------------------------------------- | -------- | ----------------- | ------------- |");
  const line = (name: string, v: { rowsPerSecond: number; cpuMsPerRow: number }) =>
    console.log(
      `| ${name.padEnd(40)} | ${f(v.rowsPerSecond).padEnd(8)} | ${f(v.cpuMsPerRow, 3).padEnd(17)} | ${f(v.cpuMsPerRow / s.raw.cpuMsPerRow, 2).padEnd(13)} |`,
    );
  line("Ballast runBatch (journal+traces+output)", s.ballast);
  line(`LangChain .batch() maxConcurrency ${CONCURRENCY}`, s.langchain);
  line(`openai SDK alone, pool of ${CONCURRENCY} (the floor)`, s.raw);
  line("same, over Ballast's leanFetch", s.rawLean);
  console.log(`Ballast rows/s / LangChain rows/s: ${f(s.ratio, 2)} (median of the per-round ratios)`);
  console.log(`Ballast's own work (in-process model: no HTTP, no SDK; journal + output + traces): ${f(ownUs, 1)} µs/row`);
  console.log(`\nresume after a stop half-way through 2000 rows: ${r.lost} lost, ${r.resent} finished rows sent again`);
  console.log(
    `RESULT batch ${JSON.stringify({
      cpu_ms_per_row: Number(b.cpuMsPerRow.toFixed(3)),
      rows_per_s: Number(b.rowsPerSecond.toFixed(1)),
      langchain_rows_per_s: Number(s.langchain.rowsPerSecond.toFixed(1)),
      rss_growth_mb: Number(growth.toFixed(1)),
      heap_growth_mb: Number((b.atEnd.heap - b.at10k.heap).toFixed(1)),
      resume_lost_rows: r.lost,
      resume_resent_rows: r.resent,
      rows: b.rows,
      rows_per_s_ratio_vs_langchain: Number(s.ratio.toFixed(2)),
      openai_sdk_cpu_ms_per_row: Number(s.raw.cpuMsPerRow.toFixed(3)),
      openai_sdk_lean_fetch_cpu_ms_per_row: Number(s.rawLean.cpuMsPerRow.toFixed(3)),
      own_work_us_per_row: Number(ownUs.toFixed(1)),
      load_avg_1m: Number((b.load[0] as number).toFixed(2)),
    })}`,
  );
} finally {
  llm.close();
  sim.stop();
}
