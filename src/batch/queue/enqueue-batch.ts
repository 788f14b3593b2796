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
import { OutputWriter } from "../output-files.js";
import { UnreadableLine, rowProblem } from "../read-rows.js";
import { rowHash, taskFingerprint } from "../row-hash.js";
import type { BatchTask } from "../task.js";
import type { BadLine, BatchRowResult, StopReason } from "../types.js";
import { checkQueueBatchOptions } from "./check-options.js";
import { failFast, failFastClient, loadBullmq, loadIORedis, redisOptions, shownUrl, whenReady } from "./connection.js";
import { collectFinished, removeCollected } from "./harvest.js";
import { jobIdOf } from "./job-id.js";
import { Ledger } from "./ledger.js";
import { OrderedOutput } from "./ordered-output.js";
import { RedisLink, sleep, withDeadline } from "./redis-link.js";
import type { QueueBatchCounts, QueueBatchEvent, QueueBatchOptions, QueueBatchSummary, RowJobData } from "./types.js";

/** Rows per `addBulk` call. */
const CHUNK = 500;
/** How often the fleet's size and the rows in flight are read for progress. */
const FLEET_EVERY_MS = 1_000;

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
  const q = checkQueueBatchOptions(options);
  const { Queue } = await loadBullmq();
  const IORedis = await loadIORedis();
  const emit = (e: QueueBatchEvent) => options.onEvent?.(e);
  const signal = options.signal;
  const link = new RedisLink({
    url: shownUrl(q.url),
    commandTimeoutMs: q.commandTimeoutMs,
    outageMs: q.outageMs,
    onPause: (reason) => emit({ type: "queue_paused", reason }),
    onResume: (pausedMs) => emit({ type: "queue_resumed", pausedMs }),
  });
  const connection = failFast(redisOptions(q.url, Math.min(q.commandTimeoutMs, 5_000)));
  const journal = new Journal(options.journal);
  const queue = new Queue<RowJobData, BatchRowResult, "row">(q.name, {
    connection,
    prefix: q.prefix,
    defaultJobOptions: { attempts: options.attempts ?? 3, backoff: { type: "exponential", delay: 1_000 } },
  });
  queue.on("error", () => {}); // outages are reported once, by the link
  const redis = failFastClient(IORedis, connection);
  const ledger = new Ledger(redis, q.prefix, q.name);
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
    const badRows: BadLine[] = [];
    /** Rows enqueued and not collected yet, by job id. */
    const waiting = new Map<string, RowJobData>();
    const ready: BatchRowResult[] = [];
    let stop: { reason: StopReason; message: string } | null = null;
    let invalidated = 0;
    let fleetAt = 0;
    const onSignal = () => {
      stop ??= { reason: "signal", message: "interrupted: rows already queued stay in the queue; run the same command to collect them" };
    };
    if (signal?.aborted) onSignal();
    else signal?.addEventListener("abort", onSignal, { once: true });
    /** Runs a Redis step; a stop during an outage ends the run instead of the wait. */
    const guarded = async (step: () => Promise<unknown>) => {
      try {
        await step();
      } catch (error) {
        if (error instanceof AbortedError && signal?.aborted) return onSignal();
        throw error;
      }
    };

    const enqueue = (list: readonly RowJobData[]) =>
      guarded(async () => {
        for (let i = 0; i < list.length; i += CHUNK) {
          const jobs = list
            .slice(i, i + CHUNK)
            .map((data) => ({ name: "row" as const, data, opts: { jobId: jobIdOf(data.key, data.hash) } }));
          await link.run(() => queue.addBulk(jobs), signal);
        }
      });

    /** Rows read and not enqueued yet. */
    let buffer: RowJobData[] = [];
    const flushBuffer = async () => {
      const list = buffer;
      buffer = [];
      await enqueue(list);
    };

    /** Collects finished rows into the journal and the output; returns how many it settled. */
    const sweep = async (): Promise<number> => {
      let settled = 0;
      // enqueue first: a row collected (and its job removed) before its pending add would be run again
      await flushBuffer();
      await guarded(async () => {
        // Redis came back: it may have lost jobs (a restart without persistence); enqueueing again is a no-op otherwise
        if (link.takeResumed()) await enqueue([...waiting.values()]);
        const got = await collectFinished(queue, link, waiting, signal);
        for (const { data, result, job } of got.completed) {
          const line = JSON.stringify(result);
          const failure = result.source === "fallback" ? JSON.stringify({ id: data.id, input: data.input, errors: result.errors }) : null;
          journal.finish({ key: data.key, hash: data.hash, source: result.source, costUsd: result.costUsd, line, failure });
          output?.finish(data.key);
          counts.done++;
          counts[result.source]++;
          counts.costUsd += result.costUsd ?? 0;
          ready.push(result);
          emit({ type: "row", result, counts, job });
        }
        for (const { data, reason } of got.failed) {
          output?.fail(data.key);
          counts.failed++;
          emit({ type: "row_failed", id: data.id, reason, counts });
        }
        const collected = [...got.completed.map((c) => c.job.jobId), ...got.failed.map((f) => f.jobId)];
        await removeCollected(queue, ledger, link, collected, signal);
        for (const id of collected) waiting.delete(id);
        settled = collected.length;
        counts.queued = waiting.size;
        output?.flush();
        if (Date.now() - fleetAt >= FLEET_EVERY_MS) {
          fleetAt = Date.now();
          // best effort: a Redis that refuses CLIENT LIST (some managed ones do) only loses this figure
          const fleet = await withDeadline(Promise.all([queue.getWorkersCount(), queue.getActiveCount()]), q.commandTimeoutMs).catch(
            () => null,
          );
          if (fleet) [counts.workers, counts.inFlight] = fleet;
          counts.window = counts.workers;
        }
      });
      return settled;
    };

    emit({ type: "start", batchId, queue: q.name, resumed: journal.count(), invalidated: 0 });
    const seen = new Set<string>();
    let lastSweep = Date.now();
    let total = 0;
    for await (const item of rows) {
      if (stop) break;
      const { line, problem, value } = inspect(item);
      const row = value as { id: string | number; input: unknown };
      const key = problem === null ? JSON.stringify(row.id) : "";
      const why = problem ?? (seen.has(key) ? `duplicate id ${key}` : null);
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
      const hash = rowHash(fingerprint, row.input);
      const done = journal.get(key);
      if (done && done.hash === hash) {
        counts.skipped++;
        output.finish(key);
        continue;
      }
      if (done) invalidated++;
      const data: RowJobData = { key, id: row.id, input: row.input, hash, batch: batchId };
      buffer.push(data);
      waiting.set(jobIdOf(key, hash), data);
      counts.queued = waiting.size;
      if (buffer.length >= CHUNK) await flushBuffer();
      while (waiting.size >= (options.maxQueued ?? 10_000) && !stop) {
        if ((await sweep()) === 0) await sleep(options.pollMs ?? 200, signal);
        lastSweep = Date.now();
        while (ready.length) yield ready.shift() as BatchRowResult;
      }
      if (Date.now() - lastSweep >= (options.pollMs ?? 200)) {
        await sweep();
        lastSweep = Date.now();
        while (ready.length) yield ready.shift() as BatchRowResult;
      }
    }
    if (!stop) {
      counts.total = total;
      await flushBuffer();
    }
    output.flush();
    while (waiting.size > 0 && !stop) {
      if ((await sweep()) === 0) await sleep(options.pollMs ?? 200, signal);
      while (ready.length) yield ready.shift() as BatchRowResult;
    }
    while (ready.length) yield ready.shift() as BatchRowResult;
    signal?.removeEventListener("abort", onSignal);
    output.flush(true);
    if (options.output)
      new OutputWriter(options.output.path, options.output.failures ?? `${options.output.path}.failures.jsonl`).writeFailures(journal);
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
