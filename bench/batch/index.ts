// Batch bench: N rows (default 100,000) through `runBatch` with the SQLite journal, the output file and the
// trace store on, against a zero-latency simulator in its own process; client CPU per row, rows/s and RSS at
// 10k and N rows. Then the same kind of rows through LangChain's `.batch()` with maxConcurrency (a slice: it
// is far slower; rows/s is what compares). Then a stopped-and-resumed run: rows lost, finished rows re-sent.
// Usage: npm run bench -- batch [rows] [langchainRows]
import { spawn } from "node:child_process";
import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createInterface } from "node:readline";
import { ChatOpenAI } from "@langchain/openai";
import { z } from "zod";
import { runBatch } from "../../src/batch/index.js";
import { createBallast } from "../../src/index.js";
import { openai } from "../../src/providers/openai/index.js";

const ROWS = Number(process.argv[2] ?? 100_000);
const LANGCHAIN_ROWS = Number(process.argv[3] ?? Math.min(ROWS, 5_000));
const CONCURRENCY = 32;
const MODEL = "sim-bench";
const root = new URL("../../", import.meta.url).pathname;
const dir = mkdtempSync(join(tmpdir(), "ballast-bench-batch-"));

const Ticket = z.object({ label: z.enum(["bug", "feature", "question"]), priority: z.number().int().min(1).max(5) });
function* rows(n: number, from = 0) {
  for (let i = from; i < from + n; i++) yield { id: i, input: `ticket-${i}: the app crashes when I click save` };
}

async function startSim(): Promise<{ url: string; stop(): void; stats(): Promise<{ totalRequests: number }> }> {
  const child = spawn(process.execPath, [join(root, "bin/ballast.js"), "simulate", "--port", "0"], { stdio: ["ignore", "pipe", "ignore"] });
  const line = await new Promise<string>((resolve) => createInterface({ input: child.stdout }).once("line", resolve));
  return {
    url: line.trim(),
    stop: () => child.kill(),
    stats: async () => (await fetch(`${line.trim()}/_ballast/stats`)).json() as Promise<{ totalRequests: number }>,
  };
}

const mb = (bytes: number) => bytes / 1024 / 1024;

async function ballast(url: string) {
  const llm = createBallast({ models: [openai(MODEL, { baseURL: `${url}/v1`, apiKey: "x" })], traces: join(dir, "traces.db"), reasks: 0 });
  const task = llm.task({
    name: "ticket-triage",
    schema: Ticket,
    instructions: "Classify the ticket.",
    fallback: { label: "question", priority: 3 },
  });
  // warm up (JIT, connections, price catalogue) on rows outside the measured set
  await runBatch(task, rows(500, 10_000_000), { journal: join(dir, "warm.db"), concurrency: CONCURRENCY }).done();
  global.gc?.();
  const rss0 = process.memoryUsage().rss;
  let rss10k = 0;
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  let done = 0;
  const run = runBatch(task, rows(ROWS), {
    journal: join(dir, "out.jsonl.journal.db"),
    output: { path: join(dir, "out.jsonl") },
    concurrency: CONCURRENCY,
  });
  for await (const _ of run) {
    if (++done === 10_000) {
      global.gc?.();
      rss10k = process.memoryUsage().rss;
    }
  }
  const seconds = (performance.now() - t0) / 1000;
  const cpu = process.cpuUsage(cpu0);
  global.gc?.();
  const rssEnd = process.memoryUsage().rss;
  llm.close();
  return {
    rows: done,
    cpuMsPerRow: (cpu.user + cpu.system) / 1000 / done,
    rowsPerSecond: done / seconds,
    rss0: mb(rss0),
    rss10k: mb(rss10k || rssEnd),
    rssEnd: mb(rssEnd),
  };
}

async function langchain(url: string) {
  const model = new ChatOpenAI({ model: MODEL, apiKey: "x", configuration: { baseURL: `${url}/v1` }, maxRetries: 0, temperature: 0 });
  const structured = model.withStructuredOutput(Ticket, { name: "ticket_triage" });
  const prompt = (input: string) => [
    { role: "system", content: "Classify the ticket." },
    { role: "user", content: input },
  ];
  await structured.batch(
    [...rows(200, 20_000_000)].map((r) => prompt(r.input)),
    { maxConcurrency: CONCURRENCY },
  );
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  const out = await structured.batch(
    [...rows(LANGCHAIN_ROWS)].map((r) => prompt(r.input)),
    { maxConcurrency: CONCURRENCY },
  );
  const seconds = (performance.now() - t0) / 1000;
  const cpu = process.cpuUsage(cpu0);
  return { rows: out.length, rowsPerSecond: out.length / seconds, cpuMsPerRow: (cpu.user + cpu.system) / 1000 / out.length };
}

/** Stops a run half-way (as Ctrl-C does), resumes it, and counts rows lost and finished rows sent again. */
async function resume(url: string, sim: { stats(): Promise<{ totalRequests: number }> }) {
  const n = 2_000;
  const llm = createBallast({ models: [openai(MODEL, { baseURL: `${url}/v1`, apiKey: "x" })], traces: false, reasks: 0 });
  const task = llm.task({ name: "ticket-triage", schema: Ticket, fallback: { label: "question", priority: 3 } });
  const journal = join(dir, "resume.db");
  const output = { path: join(dir, "resume.jsonl") };
  const before = (await sim.stats()).totalRequests;
  const stop = new AbortController();
  let seen = 0;
  const first = runBatch(task, rows(n, 30_000_000), { journal, output, concurrency: CONCURRENCY, signal: stop.signal });
  for await (const _ of first) if (++seen === n / 2) stop.abort();
  await runBatch(task, rows(n, 30_000_000), { journal, output, concurrency: CONCURRENCY }).done();
  const sent = (await sim.stats()).totalRequests - before - 2; // minus the two stats calls
  const ids = new Set(
    readFileSync(output.path, "utf8")
      .trim()
      .split("\n")
      .map((l) => (JSON.parse(l) as { id: number }).id),
  );
  return { lost: n - ids.size, resent: Math.max(0, sent - n) };
}

const sim = await startSim();
try {
  const b = await ballast(sim.url);
  const l = await langchain(sim.url);
  const r = await resume(sim.url, sim);
  const growth = b.rssEnd - b.rss10k;
  console.log(`\nbatch bench: ${b.rows} rows, concurrency ${CONCURRENCY}, zero-latency simulator in its own process\n`);
  console.log("| runner                               | rows    | rows/s   | client CPU ms/row | RSS MB (10k -> end) |");
  console.log("| ------------------------------------ | ------- | -------- | ----------------- | ------------------- |");
  console.log(
    `| Ballast runBatch (journal+traces+out) | ${String(b.rows).padEnd(7)} | ${b.rowsPerSecond.toFixed(0).padEnd(8)} | ${b.cpuMsPerRow.toFixed(3).padEnd(17)} | ${b.rss10k.toFixed(0)} -> ${b.rssEnd.toFixed(0)} |`,
  );
  console.log(
    `| LangChain .batch() maxConcurrency ${CONCURRENCY} | ${String(l.rows).padEnd(7)} | ${l.rowsPerSecond.toFixed(0).padEnd(8)} | ${l.cpuMsPerRow.toFixed(3).padEnd(17)} | -                   |`,
  );
  console.log(`\nresume after a stop half-way through ${2000} rows: ${r.lost} lost, ${r.resent} finished rows sent again`);
  console.log(
    `RESULT batch ${JSON.stringify({
      cpu_ms_per_row: Number(b.cpuMsPerRow.toFixed(3)),
      rows_per_s: Number(b.rowsPerSecond.toFixed(1)),
      langchain_rows_per_s: Number(l.rowsPerSecond.toFixed(1)),
      rss_growth_mb: Number(growth.toFixed(1)),
      resume_lost_rows: r.lost,
      resume_resent_rows: r.resent,
    })}`,
  );
} finally {
  sim.stop();
}
