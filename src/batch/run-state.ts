/** What the live and provider-batch runners share while a batch runs: rows on their way and how a row is finished. */
import type { Journal } from "./journal.js";
import type { OutputWriter } from "./output-files.js";
import type { BatchTask } from "./task.js";
import type { BatchCounts, BatchEvent, BatchRowResult } from "./types.js";

/** A row on its way: what the run needs to finish it. */
export interface PendingRow {
  key: string;
  id: string | number;
  input: unknown;
  hash: string;
  estimatedTokens: number;
  estimatedCost: number;
}

/** State shared by the live and provider-batch runners. */
export interface RunState {
  task: BatchTask;
  journal: Journal;
  output: OutputWriter | null;
  counts: BatchCounts;
  batchId: string;
  emit: (e: BatchEvent) => void;
  /** Hands a finished row to the journal and the output (written in groups; yielded once committed). */
  finish(row: PendingRow, result: BatchRowResult, failure: boolean): void;
}
