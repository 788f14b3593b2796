/**
 * `ballast/batch/queue`: one batch across many processes and machines, on a BullMQ queue in Redis (bullmq and
 * ioredis are optional peers: `npm install bullmq ioredis`). The enqueuer puts each row on the queue (job ids
 * from the row hash, so enqueueing again is a no-op) and writes the results to the journal and the output file
 * in input order; any number of workers run the rows. A worker killed with `kill -9` has its rows taken up by
 * the others (BullMQ's stalled-job check), and a row answered before its worker died is not sent again. When
 * Redis goes away both sides pause, and give up with a QueueUnavailableError after `outageMs`.
 * The command line does the same: `ballast batch in.jsonl --task task.ts --queue redis://host:6379 --out
 * out.jsonl` and, on each machine, `ballast worker --queue redis://host:6379 --task task.ts`.
 *
 * @example
 * import { loadTask, readRows } from "ballast/batch";
 * import { enqueueBatch, startBatchWorker } from "ballast/batch/queue";
 *
 * const task = await loadTask("task.js");
 * // on each worker machine
 * const worker = await startBatchWorker(task, { url: "redis://10.0.0.5:6379", concurrency: 32 });
 * // on the machine that owns the files
 * const run = enqueueBatch(task, readRows("in.jsonl"), {
 *   url: "redis://10.0.0.5:6379",
 *   journal: "out.jsonl.journal.db",
 *   output: { path: "out.jsonl" },
 *   onEvent: (e) => e.type === "row" && console.log(`${e.counts.done} rows, $${e.counts.costUsd.toFixed(2)}`),
 * });
 * const summary = await run.done();
 * await worker.close();
 */
export { enqueueBatch, type QueueBatchRun } from "./enqueue-batch.js";
export { startBatchWorker, type BatchWorker } from "./batch-worker.js";
export { QueueUnavailableError } from "../../errors/index.js";
export type {
  BatchWorkerEvent,
  BatchWorkerOptions,
  QueueBatchCounts,
  QueueBatchEvent,
  QueueBatchOptions,
  QueueBatchSummary,
  QueueOptions,
  RowJobData,
  RowJobInfo,
} from "./types.js";
