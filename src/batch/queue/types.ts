/**
 * The public types of a distributed batch: where the queue lives (one Redis URL and a queue name shared by
 * the enqueuer and every worker), the enqueuer's and the worker's options (grouped by concern, with their
 * defaults), and the events each reports.
 */
import type { BatchCounts, BatchRowResult, StopReason } from "../types.js";

export interface QueueOptions {
  /** The Redis the queue lives in: `redis://[user:password@]host[:port][/db]`, or `rediss://` for TLS. */
  url: string;
  /** The BullMQ queue the enqueuer and its workers share: one batch at a time per name. @default "ballast" */
  name?: string;
  /** Prefix of every Redis key of the queue (BullMQ's `prefix`). @default "ballast" */
  prefix?: string;
  /** Longest wait for one Redis operation before it counts as failed. @default 5_000 */
  commandTimeoutMs?: number;
  /**
   * How long Redis may keep failing before the run gives up with a `QueueUnavailableError`; meanwhile it
   * pauses and tries again every second. @default 60_000
   */
  outageMs?: number;
}

/** One input row as a job carries it. */
export interface RowJobData {
  /** JSON of the row id: the journal's key. */
  key: string;
  id: string | number;
  input: unknown;
  /** sha256 of the task's fingerprint and the input: a worker with another task refuses the row. */
  hash: string;
  /** The batch run's id, put on the row's traces. */
  batch: string;
}

export interface QueueBatchOptions extends QueueOptions {
  /** The journal file (SQLite): every collected row, so running the same command again resumes. */
  journal: string;
  /** The id of the run on the workers' traces (`ballast stats --batch <id>`). @default a new id, kept in the journal */
  batchId?: string;
  /** Output JSONL (one line per finished row, in input order) and the rows that ended on the fallback. */
  output?: { path: string; failures?: string };
  /** Rows in the queue and not yet collected, at most: bounds Redis's memory and the enqueuer's. @default 10_000 */
  maxQueued?: number;
  /** Tries per row: a row whose call throws (no fallback, say) is tried again with exponential back-off. @default 3 */
  attempts?: number;
  /** How often finished rows are collected from the queue. @default 200 */
  pollMs?: number;
  /** Malformed rows: "skip" them (reported) or "stop" the run. @default "skip" */
  onBadRow?: "skip" | "stop";
  /** Stops enqueueing and collecting; rows already queued stay there for the workers and a later run. */
  signal?: AbortSignal;
  onEvent?: (event: QueueBatchEvent) => void;
}

/** The enqueuer's counts: a batch run's, plus the queue's view of the fleet. */
export interface QueueBatchCounts extends BatchCounts {
  /** Rows enqueued by this run and not collected yet. */
  queued: number;
  /** Rows that failed on every try (not in the output; a later run sends them again). */
  failed: number;
  /** Workers connected to the queue at the last look. */
  workers: number;
}

/** Which worker ran a collected row, and when (the worker's clock). */
export interface RowJobInfo {
  jobId: string;
  worker: string | null;
  startedAt: number | null;
  finishedAt: number | null;
  /** Tries the row took (1 unless it failed before, or its worker died). */
  attempts: number;
}

export type QueueBatchEvent =
  | { type: "start"; batchId: string; queue: string; resumed: number; invalidated: number }
  | { type: "bad_row"; line: number | null; reason: string }
  | { type: "row"; result: BatchRowResult; counts: QueueBatchCounts; job: RowJobInfo }
  | { type: "row_failed"; id: string | number; reason: string; counts: QueueBatchCounts }
  | { type: "queue_paused"; reason: string }
  | { type: "queue_resumed"; pausedMs: number }
  | { type: "stop"; reason: StopReason; message: string; counts: QueueBatchCounts };

export interface QueueBatchSummary {
  batchId: string;
  reason: StopReason;
  message: string;
  counts: QueueBatchCounts;
  badRows: Array<{ line: number; reason: string }>;
}

export interface BatchWorkerOptions extends QueueOptions {
  /** Rows this worker runs at once. @default 16 */
  concurrency?: number;
  /** Rows started per minute by all the queue's workers together (BullMQ's queue-wide rate limiter). */
  rowsPerMinute?: number;
  /** The name stored on every job this worker runs. @default "<hostname>:<pid>" */
  workerName?: string;
  /**
   * How long a row stays claimed without its worker renewing the claim: a worker killed with `kill -9` has its
   * rows taken up again after about `lockMs + stalledIntervalMs`. @default 30_000
   */
  lockMs?: number;
  /** How often workers look for rows whose worker died. @default 15_000 */
  stalledIntervalMs?: number;
  /** Times a row may be taken back from a dead worker before it fails. @default 5 */
  maxStalledCount?: number;
  /** After `close()`, how long rows in flight may take to finish; later, they go back to the queue. @default 30_000 */
  graceMs?: number;
  onEvent?: (event: BatchWorkerEvent) => void;
}

export type BatchWorkerEvent =
  | { type: "ready"; worker: string; queue: string }
  /** `replayed`: the row had been answered already (its worker died before reporting it); no call was made. */
  | { type: "row"; jobId: string; result: BatchRowResult; replayed: boolean; done: number; costUsd: number }
  | { type: "row_error"; jobId: string; id: string | number; message: string }
  | { type: "rate_limited"; retryAfterMs: number }
  | { type: "queue_paused"; reason: string }
  | { type: "queue_resumed"; pausedMs: number };
