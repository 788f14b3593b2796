/**
 * `ballast/batch`: a JSONL of inputs through a task's cascade, resumable (SQLite journal), rate-limited per
 * model (requests and tokens, AIMD concurrency), on budget, or at half price through the providers' Batch APIs.
 *
 * @example
 * for await (const r of runBatch(classify, readRows("in.jsonl"), { journal: "out.jsonl.journal.db" })) console.log(r.id, r.value);
 */
export { runBatch, type BatchRun, type RunBatchOutput } from "./run-batch.js";
export { readRows, rowProblem, UnreadableLine, type ParsedLine } from "./read-rows.js";
export { defaultFailuresPath, defaultJournalPath } from "./output-files.js";
export { loadTask, isTask, type BatchTask } from "./task.js";
export { estimateBatch, type DryRunEstimate } from "./dry-run.js";
export { createProgress, type ProgressReporter } from "./progress.js";
export { RowEstimator, type RowEstimate, type ModelEstimate } from "./estimate.js";
export { AimdWindow } from "./aimd-window.js";
export { BatchRateGate, type BatchRateGateOptions, type Grant } from "./batch-rate-gate.js";
export { parseResetMs, providerPauses, rateLimitFetch, type HeaderSource, type ProviderPauses } from "./provider-pauses.js";
export { BATCH_DISCOUNT, type ProviderBatchOptions } from "./provider-batch/types.js";
export type {
  BadLine,
  BatchCounts,
  BatchEvent,
  BatchOptions,
  BatchRow,
  BatchRowResult,
  BatchSummary,
  ModelLimits,
  StopReason,
} from "./types.js";
export { enqueueBatch, startBatchWorker } from "./queue/index.js";
export type { QueueBatchEvent, QueueBatchOptions, BatchWorkerEvent, BatchWorkerOptions } from "./queue/index.js";
