// runBatch with the wrong arguments: each mistake is a ConfigurationError naming the argument or field (and the
// journal's path), raised before any request; the summary rejects with it too, so nothing waits forever. Rows
// whose input JSON cannot hold (a BigInt, a circular reference) are bad rows: skipped and reported, or the stop.
import assert from "node:assert/strict";
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { after, before, test } from "node:test";
import { type BatchEvent, estimateBatch, runBatch } from "../../src/batch/index.js";
import { createBallast } from "../../src/index.js";
import { BatchInputError, ConfigurationError } from "../../src/errors/index.js";
import { openai } from "../../src/providers/openai/index.js";
import { type Simulator, startSimulator } from "../../src/simulator/index.js";
import { rowOfRequest, rows, tempDir, ticketTask } from "./helpers.js";

let sim: Simulator;
before(async () => {
  sim = await startSimulator({ seed: 17, requestLogLimit: 10_000 });
});
after(() => sim.close());

const sentFor = (from: number, to: number) =>
  sim.requests.filter((r) => {
    const id = rowOfRequest(r.body);
    return id !== null && id >= from && id < to;
  }).length;

/** Runs `start()` to its end and expects a ConfigurationError whose message matches `said`, from done() and the summary. */
async function refused(start: () => { done(): Promise<unknown>; summary: Promise<unknown> }, said: RegExp) {
  const run = start();
  const isIt = (e: unknown) => e instanceof ConfigurationError && e.kind === "configuration" && said.test(e.message);
  await assert.rejects(run.done(), isIt);
  await assert.rejects(run.summary, isIt, "the summary rejects as well: nothing waits on a run that never started");
}

test("wrong arguments are ConfigurationErrors naming the argument or field, before any request", async () => {
  const dir = tempDir("mistakes");
  const task = ticketTask(sim.url, "sim-m");
  const journal = join(dir, "j.db");
  const data = rows(2, 9000);
  const llm = createBallast({ models: [openai("sim-m", { baseURL: `${sim.url}/v1`, apiKey: "x" })], traces: false });
  const anyRun = runBatch as (...args: unknown[]) => ReturnType<typeof runBatch>;

  await refused(() => anyRun(task, data), /batch: options must be an object .*journal.*got undefined/);
  await refused(() => anyRun(task, data, null), /batch: options must be an object .*got null/);
  await refused(() => anyRun(llm, data, { journal }), /batch: task must be a Ballast task \(from llm\.task.*got the client/);
  await refused(() => anyRun(undefined, data, { journal }), /batch: task must be a Ballast task .*got undefined/);
  await refused(() => anyRun(task, 5, { journal }), /batch: rows must be an array or an \(async\) iterable .*got number 5/);
  await refused(() => anyRun(task, null, { journal }), /batch: rows must be .*got null/);
  await refused(() => anyRun(task, "in.jsonl", { journal }), /batch: rows must be .*pass readRows\("in\.jsonl"\)/);
  await refused(() => anyRun(task, data, { journal, onEvent: 5 }), /batch: onEvent must be a function .*got number 5/);
  await refused(() => anyRun(task, data, { journal, signal: "stop" }), /batch: signal must be an AbortSignal/);
  await refused(() => anyRun(task, data, { journal: 42 }), /batch: journal must be a file path .*got number 42/);
  await refused(() => anyRun(task, data, { journal, output: "out.jsonl" }), /batch: output must be an object like \{ path/);
  assert.equal(existsSync(journal), false, "no journal was created for a run that could not start");
  assert.equal(sentFor(9000, 9002), 0);
  llm.close();
});

test("a journal path that is a directory, or a file that is not SQLite, is a ConfigurationError naming the path", async () => {
  const dir = tempDir("journal-path");
  const task = ticketTask(sim.url, "sim-m");
  const folder = join(dir, "a-folder");
  mkdirSync(folder);
  await refused(
    () => runBatch(task, rows(2, 9100), { journal: folder }),
    new RegExp(`journal ${folder} is a directory: expected a SQLite file`),
  );

  const text = join(dir, "notes.db");
  writeFileSync(text, "these are my notes, not a database\n".repeat(20));
  await refused(() => runBatch(task, rows(2, 9100), { journal: text }), new RegExp(`journal ${text} is not a SQLite database`));
  assert.equal(readFileSync(text, "utf8"), "these are my notes, not a database\n".repeat(20), "the file is left as it was");
  await assert.rejects(estimateBatch(task, rows(2, 9100), { journal: text }), (e: unknown) => e instanceof ConfigurationError);
  assert.equal(sentFor(9100, 9102), 0);
});

test("a row whose input holds a BigInt or a cycle is a bad row: skipped and reported, every other row answered", async () => {
  const dir = tempDir("unsendable");
  const task = ticketTask(sim.url, "sim-m");
  const cyclic: Record<string, unknown> = { text: "ticket-9203 loops" };
  cyclic.self = cyclic;
  const input = [
    ...rows(2, 9200),
    { id: 9202, input: { text: "ticket-9202 big", count: 1n } },
    { id: 9203, input: cyclic },
    ...rows(2, 9204),
  ];
  const events: BatchEvent[] = [];
  const run = runBatch(task, input, { journal: join(dir, "j.db"), onEvent: (e) => e.type === "bad_row" && events.push(e) });
  const answered: Array<string | number> = [];
  for await (const r of run) answered.push(r.id);
  const summary = await run.summary;
  assert.equal(summary.reason, "done");
  assert.deepEqual(answered.sort(), [9200, 9201, 9204, 9205]);
  assert.equal(summary.counts.bad, 2);
  assert.match(summary.badRows[0]?.reason ?? "", /row 9202: input\.count is a BigInt/);
  assert.match(summary.badRows[1]?.reason ?? "", /row 9203: input\.self refers back to one of its parents \(a circular reference\)/);
  assert.equal(events.length, 2);
  assert.equal(sentFor(9202, 9204), 0, "neither bad row was sent");

  const estimate = await estimateBatch(task, input);
  assert.equal(estimate.rows, 4);
  assert.equal(estimate.bad, 2);

  const stopped = runBatch(task, input, { journal: join(dir, "j2.db"), onBadRow: "stop" });
  await assert.rejects(stopped.done(), (e: unknown) => e instanceof BatchInputError && /input\.count is a BigInt/.test(e.message));
});
