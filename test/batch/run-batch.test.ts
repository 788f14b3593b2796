// runBatch against the simulator: bad input rows, exact resume by content hash, the budget stop, the dry-run
// estimate against the simulator's own bill, the failures file, and an output that cannot be written.
import assert from "node:assert/strict";
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { after, before, test } from "node:test";
import { z } from "zod";
import { estimateBatch, runBatch, UnreadableLine, type BatchRowResult } from "../../src/batch/index.js";
import { createBallast } from "../../src/index.js";
import { BatchInputError } from "../../src/errors/index.js";
import { openai } from "../../src/providers/openai/index.js";
import { type Simulator, startSimulator } from "../../src/simulator/index.js";
import { PRICE, rowOfRequest, rows, tempDir, ticketTask } from "./helpers.js";

let sim: Simulator;
before(async () => {
  sim = await startSimulator({
    seed: 7,
    requestLogLimit: 100_000,
    models: {
      "sim-a": {},
      "sim-priced": { priceInputPerMTok: PRICE.inputPerMTok, priceOutputPerMTok: PRICE.outputPerMTok },
      "sim-down": { faults: { http500: 1 } },
    },
  });
});
after(() => sim.close());

async function collect<T>(run: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const r of run) out.push(r);
  return out;
}

const sentFor = (model: string) => sim.requests.filter((r) => (r.body as { model?: string } | undefined)?.model === model);

test("malformed rows are reported with their line numbers and skipped; 'stop' stops with a typed error", async () => {
  const task = ticketTask(sim.url, "sim-a");
  const dir = tempDir("bad");
  const input = [
    { line: 1, value: { id: "a", input: "ticket-1 x" } },
    new UnreadableLine(2, "not JSON"),
    { line: 3, value: { input: "no id" } },
    { line: 4, value: { id: "a", input: "duplicate" } },
    { line: 5, value: { id: { x: 1 }, input: "object id" } },
    { line: 6, value: { id: "b", input: "ticket-2 y" } },
  ];
  const events: Array<{ line: number | null; reason: string }> = [];
  const run = runBatch(task, input, { journal: join(dir, "j.db"), onEvent: (e) => e.type === "bad_row" && events.push(e) });
  const results = await collect(run);
  assert.deepEqual(results.map((r) => r.id).sort(), ["a", "b"]);
  const summary = await run.summary;
  assert.deepEqual(
    summary.badRows.map((b) => b.line),
    [2, 3, 4, 5],
  );
  assert.match(summary.badRows[1]?.reason ?? "", /missing the "id" field/);
  assert.match(summary.badRows[2]?.reason ?? "", /duplicate id "a"/);
  assert.equal(events.length, 4);

  const stopped = runBatch(task, input, { journal: join(dir, "j2.db"), onBadRow: "stop" });
  await assert.rejects(stopped.done(), (e: unknown) => e instanceof BatchInputError && e.line === 2 && e.kind === "batch_input");
});

test("a rerun skips finished rows; a changed input re-sends only that row; a changed task re-sends all", async () => {
  const dir = tempDir("hash");
  const journal = join(dir, "j.db");
  const out = join(dir, "out.jsonl");
  const data = rows(12, 1000);
  const first = await collect(runBatch(ticketTask(sim.url, "sim-a"), data, { journal, output: { path: out } }));
  assert.equal(first.length, 12);
  const before = sentFor("sim-a").length;
  const again = runBatch(ticketTask(sim.url, "sim-a"), data, { journal, output: { path: out } });
  assert.equal((await collect(again)).length, 0);
  assert.equal((await again.summary).counts.skipped, 12);
  assert.equal(sentFor("sim-a").length, before, "nothing sent again");

  const changed = data.map((r, i) => (i === 3 || i === 7 ? { ...r, input: `${r.input} (edited)` } : r));
  const third = await collect(runBatch(ticketTask(sim.url, "sim-a"), changed, { journal, output: { path: out } }));
  assert.deepEqual(third.map((r) => r.id).sort(), [1003, 1007]);
  assert.equal(sentFor("sim-a").length, before + 2);
  const lines = readFileSync(out, "utf8").trim().split("\n");
  assert.equal(lines.length, 12, "one line per id after re-running changed rows");

  const other = createBallast({ models: [openai("sim-a", { baseURL: `${sim.url}/v1`, apiKey: "x" })], traces: false });
  const changedTask = other.task({
    name: "ticket-triage",
    schema: z.object({ label: z.enum(["bug", "feature", "question"]), priority: z.number().int().min(1).max(5) }),
    instructions: "Classify the ticket (new wording).",
  });
  const fourth = await collect(runBatch(changedTask, changed, { journal, output: { path: out } }));
  assert.equal(fourth.length, 12);
});

test("the dry-run estimate is within 10% of what the simulator bills; the budget stops before passing the cap", async () => {
  const dir = tempDir("budget");
  const data = rows(40, 2000);
  const task = ticketTask(sim.url, "sim-priced");
  const estimate = await estimateBatch(task, data);
  assert.equal(estimate.rows, 40);
  const out = join(dir, "out.jsonl");
  const results = await collect(runBatch(task, data, { journal: join(dir, "j.db"), output: { path: out } }));
  assert.equal(results.length, 40);
  const billed = sim.stats().byModel["sim-priced"]?.costUsd as number;
  assert.ok(billed > 0);
  assert.ok(Math.abs((estimate.costUsd as number) - billed) / billed <= 0.1, `estimate ${estimate.costUsd} vs billed ${billed}`);
  const reported = results.reduce((s, r) => s + (r.costUsd ?? 0), 0);
  assert.ok(Math.abs(reported - billed) / billed < 1e-6, `reported ${reported} vs billed ${billed}`);

  // a cap for about 10 rows: stops before passing it, then resumes with a higher one
  const perRow = billed / 40;
  const capped = rows(30, 3000);
  const journal = join(dir, "j2.db");
  const run = runBatch(task, capped, { journal, budgetUsd: perRow * 10.5, concurrency: 2 });
  const got = await collect(run);
  const summary = await run.summary;
  assert.equal(summary.reason, "budget");
  assert.match(summary.message, /higher budget/);
  assert.ok(got.length >= 8 && got.length <= 10, `${got.length} rows under the cap`);
  assert.ok(summary.counts.costUsd <= perRow * 10.5);
  const rest = runBatch(task, capped, { journal, budgetUsd: 1 });
  assert.equal((await collect(rest)).length, 30 - got.length);
  assert.equal((await rest.summary).reason, "done");
});

test("rows that end on the fallback are listed in the failures file, with their input", async () => {
  const dir = tempDir("failures");
  const out = join(dir, "out.jsonl");
  const results: BatchRowResult[] = await collect(
    runBatch(ticketTask(sim.url, "sim-down"), rows(3, 4000), { journal: join(dir, "j.db"), output: { path: out } }),
  );
  assert.ok(results.every((r) => r.source === "fallback" && r.model === "hardcoded_fallback" && r.rung === null));
  const failures = readFileSync(`${out}.failures.jsonl`, "utf8")
    .trim()
    .split("\n")
    .map((l) => JSON.parse(l));
  assert.deepEqual(failures.map((f) => f.id).sort(), [4000, 4001, 4002]);
  assert.ok(failures.every((f) => typeof f.input === "string" && f.errors[0].kind === "provider_http"));
});

test("a full disk stops the run cleanly with the journal intact; the rerun writes the output", async () => {
  const dir = tempDir("full");
  const journal = join(dir, "j.db");
  const task = ticketTask(sim.url, "sim-a");
  const run = runBatch(task, rows(20, 5000), { journal, output: { path: "/dev/full", failures: join(dir, "f.jsonl") }, concurrency: 2 });
  await collect(run);
  const summary = await run.summary;
  assert.equal(summary.reason, "output");
  assert.match(summary.message, /ENOSPC|no space/i);
  const finished = summary.counts.done;
  assert.ok(finished >= 1 && finished < 20, `${finished} rows finished before stopping`);
  const before = sentFor("sim-a").filter((r) => (rowOfRequest(r.body) ?? 0) >= 5000).length;
  const out = join(dir, "out.jsonl");
  const rerun = runBatch(task, rows(20, 5000), { journal, output: { path: out } });
  assert.equal((await collect(rerun)).length, 20 - finished);
  assert.equal(readFileSync(out, "utf8").trim().split("\n").length, 20, "journaled rows written to the new output");
  assert.equal(sentFor("sim-a").filter((r) => (rowOfRequest(r.body) ?? 0) >= 5000).length, before + 20 - finished);
  assert.ok(existsSync(journal));
});
