// Every batch row is traced like any call, with the batch id and row id; stats can be filtered by batch.
import assert from "node:assert/strict";
import { join } from "node:path";
import { after, before, test } from "node:test";
import { runBatch } from "../../src/batch/index.js";
import { createBallast } from "../../src/index.js";
import { openTraceDb } from "../../src/observe/trace-store/open.js";
import { stats } from "../../src/observe/trace-store/queries.js";
import { openai } from "../../src/providers/openai/index.js";
import { type Simulator, startSimulator } from "../../src/simulator/index.js";
import { FALLBACK, rows, tempDir, Ticket } from "./helpers.js";

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
