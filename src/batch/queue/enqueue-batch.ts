/**
 * `enqueueBatch(task, rows, options)`: the enqueuing side of a distributed batch. Puts each input row on a
 * BullMQ queue in Redis (job id from the row's id and content hash, so enqueueing twice is a no-op), at most
 * `maxQueued` at a time, and collects what the workers (`startBatchWorker`, `ballast worker`) finish into the
 * journal and the output file, in input order. Rows already in the journal are not sent again. When Redis
 * stops answering, enqueueing and collecting pause; when it answers again, the rows still expected are
 * enqueued again (a no-op for the jobs Redis kept) and the run goes on; after `outageMs` it fails with a
 * QueueUnavailableError.
 */
import { AbortedError, BatchInputError } from "../../errors/index.js";
import { newBatchId } from "../batch-id.js";
import { Journal } from "../journal.js";
import { defaultFailuresPath, OutputWriter } from "../output-files.js";
import { UnreadableLine, rowProblem } from "../read-rows.js";
import { hashRow, taskFingerprint } from "../row-hash.js";
import type { BatchTask } from "../task.js";
import type { BadLine, BatchRowResult, StopReason } from "../types.js";
import { checkBatchArguments } from "../check-arguments.js";
import { checkQueueBatchOptions, type ResolvedQueue } from "./check-options.js";
import { failFast, failFastClient, loadBullmq, loadIORedis, redisOptions, shownUrl, whenReady } from "./connection.js";
import { QueueCollector } from "./collector.js";
import { Ledger } from "./ledger.js";
import { OrderedOutput } from "./ordered-output.js";
import { RedisLink, sleep, withDeadline } from "./redis-link.js";
import type { QueueBatchCounts, QueueBatchEvent, QueueBatchOptions, QueueBatchSummary, RowJobData } from "./types.js";

export interface QueueBatchRun<T> extends AsyncIterable<BatchRowResult<T>> {
  /** Resolves when the run ends; rejects with a QueueUnavailableError when Redis stayed away too long. */
  readonly summary: Promise<QueueBatchSummary>;
  /** Runs to the end without handing out rows. */
  done(): Promise<QueueBatchSummary>;
}

export function enqueueBatch<T>(
  task: BatchTask<T>,
  rows: Iterable<unknown> | AsyncIterable<unknown>,
  options: QueueBatchOptions,
): QueueBatchRun<T> {
  let settle!: { resolve: (s: QueueBatchSummary) => void; reject: (e: unknown) => void };
  const summary = new Promise<QueueBatchSummary>((resolve, reject) => {
    settle = { resolve, reject };
  });
  summary.catch(() => {});
  let started = false;
  const iterate = () => {
    if (started) throw new Error("a batch run can be iterated once");
    started = true;
    return run(task as BatchTask, rows, options, settle) as AsyncGenerator<BatchRowResult<T>>;
  };
  return {
    summary,
    [Symbol.asyncIterator]: iterate,
    async done() {
      for await (const _ of { [Symbol.asyncIterator]: iterate });
      return summary;
    },
  };
}

async function* run(
  task: BatchTask,
  rows: Iterable<unknown> | AsyncIterable<unknown>,
  options: QueueBatchOptions,
  settle: { resolve: (s: QueueBatchSummary) => void; reject: (e: unknown) => void },
): AsyncGenerator<BatchRowResult> {
  let q: ResolvedQueue;
  let journal: Journal;
  let Queue: Awaited<ReturnType<typeof loadBullmq>>["Queue"];
  let IORedis: Awaited<ReturnType<typeof loadIORedis>>;
  try {
    checkBatchArguments("queue batch", task, rows, options);
    q = checkQueueBatchOptions(options);
    ({ Queue } = await loadBullmq());
    IORedis = await loadIORedis();
    journal = new Journal(options.journal);
  } catch (error) {
    settle.reject(error); // the summary never waits on a run that could not start
    throw error;
  }
  const emit = (e: QueueBatchEvent) => options.onEvent?.(e);
  const signal = options.signal;
  const pollMs = options.pollMs ?? 200;
  const link = new RedisLink({
    url: shownUrl(q.url),
    commandTimeoutMs: q.commandTimeoutMs,
    outageMs: q.outageMs,
    onPause: (reason) => emit({ type: "queue_paused", reason }),
    onResume: (pausedMs) => emit({ type: "queue_resumed", pausedMs }),
  });
  const connection = failFast(redisOptions(q.url, Math.min(q.commandTimeoutMs, 5_000)));
  const queue = new Queue<RowJobData, BatchRowResult, "row">(q.name, {
    connection,
    prefix: q.prefix,
    defaultJobOptions: { attempts: options.attempts ?? 3, backoff: { type: "exponential", delay: 1_000 } },
  });
  queue.on("error", () => {}); // outages are reported once, by the link
  const redis = failFastClient(IORedis, connection);
  let output: OrderedOutput | null = null;
  try {
    const batchId = options.batchId ?? journal.meta("batch_id") ?? newBatchId();
    journal.setMeta("batch_id", batchId);
    await link.run(() => whenReady(redis).then(() => redis.ping()), signal);
    output = new OrderedOutput(journal, options.output?.path ?? null);
    const fingerprint = taskFingerprint(task);
    const counts: QueueBatchCounts = {
      ...{ total: null, done: 0, skipped: 0, model: 0, repaired: 0, fallback: 0, bad: 0, costUsd: journal.spent },
      ...{ inFlight: 0, window: 0, backoffMs: 0, queued: 0, failed: 0, workers: 0 },
    };
    const ledger = new Ledger(redis, q.prefix, q.name);
    const parts = { queue, link, ledger, journal, output, counts, emit, commandTimeoutMs: q.commandTimeoutMs };
    const collector = new QueueCollector(signal ? { ...parts, signal } : parts);
    const badRows: BadLine[] = [];
    let stop: { reason: StopReason; message: string } | null = null;
    const onSignal = () => {
      stop ??= { reason: "signal", message: "interrupted: rows already queued stay in the queue; run the same command to collect them" };
    };
    if (signal?.aborted) onSignal();
    else signal?.addEventListener("abort", onSignal, { once: true });
    /** Runs a Redis step; a stop during an outage ends the run instead of the wait. Returns rows settled. */
    const step = async (work: () => Promise<unknown>): Promise<number> => {
      try {
        const n = await work();
        return typeof n === "number" ? n : 0;
      } catch (error) {
        if (error instanceof AbortedError && signal?.aborted) onSignal();
        else throw error;
        return 0;
      }
    };

    emit({ type: "start", batchId, queue: q.name, resumed: journal.count(), invalidated: 0 });
    const seen = new Set<string>();
    let lastSweep = Date.now();
    let total = 0;
    let invalidated = 0;
    for await (const item of rows) {
      if (stop) break;
      const { line, problem, value } = inspect(item);
      const row = value as { id: string | number; input: unknown };
      const key = problem === null ? JSON.stringify(row.id) : "";
      let why = problem ?? (seen.has(key) ? `duplicate id ${key}` : null);
      let hash = "";
      if (why === null) {
        const hashed = hashRow(fingerprint, row.input); // a BigInt or a cycle in the input makes a bad row
        if (hashed.problem === null) hash = hashed.hash;
        else why = `row ${key}: ${hashed.problem}`;
      }
      if (why !== null) {
        counts.bad++;
        badRows.push({ line: line ?? 0, reason: why });
        emit({ type: "bad_row", line, reason: why });
        if ((options.onBadRow ?? "skip") === "stop") throw new BatchInputError(line, why);
        continue;
      }
      seen.add(key);
      total++;
      output.add(key);
      const done = journal.get(key);
      if (done && done.hash === hash) {
        counts.skipped++;
        output.finish(key);
        continue;
      }
      if (done) invalidated++;
      await step(() => collector.add({ key, id: row.id, input: row.input, hash, batch: batchId }));
      // at most maxQueued rows wait in Redis; and finished rows are collected while the input is read
      while (!stop && (collector.waiting.size >= (options.maxQueued ?? 10_000) || Date.now() - lastSweep >= pollMs)) {
        const settled = await step(() => collector.sweep());
        lastSweep = Date.now();
        while (collector.ready.length) yield collector.ready.shift() as BatchRowResult;
        if (collector.waiting.size < (options.maxQueued ?? 10_000)) break;
        if (settled === 0) await sleep(pollMs, signal);
      }
    }
    if (!stop) {
      counts.total = total;
      await step(() => collector.flush());
    }
    output.flush();
    while (collector.waiting.size > 0 && !stop) {
      if ((await step(() => collector.sweep())) === 0) await sleep(pollMs, signal);
      while (collector.ready.length) yield collector.ready.shift() as BatchRowResult;
    }
    while (collector.ready.length) yield collector.ready.shift() as BatchRowResult;
    signal?.removeEventListener("abort", onSignal);
    output.flush(true);
    if (options.output)
      new OutputWriter(options.output.path, options.output.failures ?? defaultFailuresPath(options.output.path)).writeFailures(journal);
    const final = stop ?? {
      reason: "done" as const,
      message: `${counts.done + counts.skipped} rows finished${counts.failed ? `, ${counts.failed} failed on every try` : ""}${invalidated ? ` (${invalidated} sent again for a changed task or input)` : ""}`,
    };
    emit({ type: "stop", reason: final.reason, message: final.message, counts });
    settle.resolve({ batchId, reason: final.reason, message: final.message, counts, badRows });
  } catch (error) {
    settle.reject(error);
    throw error;
  } finally {
    output?.close();
    journal.close();
    await withDeadline(queue.close(), q.commandTimeoutMs).catch(() => {});
    redis.disconnect();
  }
}

/** An input item's line number, the problem with it (null when it is a row), and its value. */
function inspect(item: unknown): { line: number | null; problem: string | null; value: unknown } {
  if (item instanceof UnreadableLine) return { line: item.line, problem: item.reason, value: null };
  if (item && typeof item === "object" && "line" in item && "value" in item && Object.keys(item).length === 2) {
    const { line, value } = item as { line: number; value: unknown };
    return { line, problem: rowProblem(value), value };
  }
  return { line: null, problem: rowProblem(item), value: item };
}
