// Every batch row is traced like any call, with the batch id and row id, whether it went live or through a
// provider's Batch API; stats can be filtered by batch and count both.
import assert from "node:assert/strict";
import { join } from "node:path";
import { after, before, test } from "node:test";
import OpenAI from "openai";
import { runBatch } from "../../src/batch/index.js";
import { createBallast } from "../../src/index.js";
import { openTraceDb } from "../../src/observe/trace-store/open.js";
import { stats } from "../../src/observe/trace-store/queries.js";
import { openai } from "../../src/providers/openai/index.js";
import { type Simulator, startSimulator } from "../../src/simulator/index.js";
import { FALLBACK, PRICE, rows, tempDir, Ticket } from "./helpers.js";

let sim: Simulator;
before(async () => {
  sim = await startSimulator({ seed: 9 });
});
after(() => sim.close());

test("rows carry the batch and row ids on their traces; stats --batch counts one run only", async () => {
  const dir = tempDir("traces");
  const traces = join(dir, "traces.db");
  const llm = createBallast({ models: [openai("sim-t", { baseURL: `${sim.url}/v1`, apiKey: "x" })], traces, reasks: 0 });
  const task = llm.task({ name: "ticket-triage", schema: Ticket, fallback: { ...FALLBACK } });
  const a = runBatch(task, rows(5), { journal: join(dir, "a.db"), batchId: "batch-a" });
  await a.done();
  const b = runBatch(task, rows(3, 100), { journal: join(dir, "b.db") });
  const bSummary = await b.done();
  await task("one call outside any batch");
  llm.close();
  const db = openTraceDb(traces);
  try {
    assert.equal(stats(db).calls, 9);
    assert.equal(stats(db, { batch: "batch-a" }).calls, 5);
    assert.equal(stats(db, { batch: bSummary.batchId }).calls, 3);
    assert.equal(stats(db, { batch: "no-such-batch" }).calls, 0);
    const rowIds = (
      db.prepare("SELECT row_id FROM batch_rows WHERE batch_id = ? ORDER BY row_id").all("batch-a") as Array<{ row_id: string }>
    ).map((r) => r.row_id);
    assert.deepEqual(rowIds, ["0", "1", "2", "3", "4"]);
  } finally {
    db.close();
  }
});

test("rows answered through a provider's Batch API are traced too, at the discount, with batch and row ids", async () => {
  const batchSim = await startSimulator({ seed: 21, batches: { completionMs: 20, rowFailureRate: 0.25 } });
  try {
    const dir = tempDir("traces-pb");
    const traces = join(dir, "traces.db");
    const llm = createBallast({
      models: [openai("sim-pb", { baseURL: `${batchSim.url}/v1`, apiKey: "x", price: PRICE })],
      traces,
      reasks: 0,
      breaker: false,
    });
    const task = llm.task({ name: "ticket-triage", schema: Ticket, fallback: { ...FALLBACK } });
    const client = new OpenAI({ baseURL: `${batchSim.url}/v1`, apiKey: "x", maxRetries: 0 });
    const run = runBatch(task, rows(20), { journal: join(dir, "j.db"), mode: "batch", providerBatch: { openai: client, pollMs: 20 } });
    const results = [];
    for await (const r of run) results.push(r);
    const summary = await run.summary;
    llm.close();
    const viaBatch = results.filter((r) => r.via === "batch");
    assert.ok(viaBatch.length >= 10 && viaBatch.length < 20, `${viaBatch.length} of 20 rows answered by the batch, the rest live`);
    const db = openTraceDb(traces);
    try {
      const s = stats(db, { batch: summary.batchId });
      assert.equal(s.calls, 20, "one traced call per row, batch or live");
      const spend = s.models.reduce((sum, m) => sum + m.spend_usd, 0);
      const billed = results.reduce((sum, r) => sum + (r.costUsd as number), 0);
      assert.ok(Math.abs(spend - billed) < 1e-12, `the traces' spend ${spend} is what the rows cost ${billed}`);
      const traced = db
        .prepare(
          "SELECT b.row_id, a.cost_usd, a.input_tokens, a.output_tokens FROM batch_rows b JOIN attempts a ON a.call_id = b.call_id WHERE b.batch_id = ?",
        )
        .all(summary.batchId) as Array<{ row_id: string; cost_usd: number; input_tokens: number; output_tokens: number }>;
      assert.deepEqual(
        traced.map((t) => Number(t.row_id)).sort((a, b) => a - b),
        rows(20).map((r) => r.id),
        "every row id on one attempt",
      );
      for (const r of viaBatch) {
        const t = traced.find((x) => x.row_id === String(r.id));
        const full = (r.tokens.input * PRICE.inputPerMTok + r.tokens.output * PRICE.outputPerMTok) / 1e6;
        assert.ok(t && Math.abs(t.cost_usd - full / 2) < 1e-12, `row ${r.id}: traced at half price`);
      }
    } finally {
      db.close();
    }
  } finally {
    await batchSim.close();
  }
});
