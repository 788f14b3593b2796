/**
 * `startBatchWorker(task, options)`: the working side of a distributed batch. A BullMQ worker takes rows from
 * the queue, `concurrency` at a time, runs each through the task's cascade and reports its result. BullMQ
 * keeps each running row claimed (a lock the worker renews); a worker killed with `kill -9` stops renewing, and
 * after `lockMs` another worker's stalled-job check puts its rows back in the queue. A row's result goes to the
 * ledger before the job is reported done, so a row whose worker died after the answer is not sent again.
 * Rows the provider kept refusing with 429 go back to the queue under BullMQ's rate limit, without using up
 * a try. A row enqueued for another task (its hash differs) is put back, and this worker stops with a
 * ConfigurationError. Redis away for longer than `outageMs` stops it with a QueueUnavailableError.
 */
import { hostname } from "node:os";
import type { Job } from "bullmq";
import type { GenerateResult } from "../../client/index.js";
import { ConfigurationError, QueueUnavailableError } from "../../errors/index.js";
import { rowHash, taskFingerprint } from "../row-hash.js";
import { resultLine } from "../result-line.js";
import { onlyRateLimited } from "../row-result.js";
import type { BatchTask } from "../task.js";
import type { BatchRowResult } from "../types.js";
import { checkWorkerOptions } from "./check-options.js";
import { failFastClient, loadBullmq, loadIORedis, redisOptions, shownUrl, whenReady } from "./connection.js";
import { Ledger } from "./ledger.js";
import { RedisLink, sleep, withDeadline } from "./redis-link.js";
import type { BatchWorkerEvent, BatchWorkerOptions, RowJobData } from "./types.js";

/** How often a worker checks that Redis answers. */
const PROBE_MS = 1_000;
/** The back-off when a 429 came without a retry-after. */
const DEFAULT_RATE_WAIT_MS = 1_000;

export interface BatchWorker {
  /** The name stored on the jobs this worker runs. */
  readonly name: string;
  /**
   * Settles when the worker has stopped: resolves after `close()`; rejects with a QueueUnavailableError when
   * Redis stayed away longer than `outageMs`, or a ConfigurationError when the queue holds rows of another task.
   */
  readonly done: Promise<void>;
  /** Stops taking rows, lets the rows in flight finish (up to `graceMs`), and disconnects. */
  close(): Promise<void>;
}

export async function startBatchWorker(task: BatchTask, options: BatchWorkerOptions): Promise<BatchWorker> {
  const q = checkWorkerOptions(options);
  const { Worker, DelayedError } = await loadBullmq();
  const IORedis = await loadIORedis();
  const emit = (e: BatchWorkerEvent) => options.onEvent?.(e);
  const name = options.workerName ?? `${hostname()}:${process.pid}`;
  const connection = redisOptions(q.url, Math.min(q.commandTimeoutMs, 5_000));
  const stopping = new AbortController();
  const link = new RedisLink({
    url: shownUrl(q.url),
    commandTimeoutMs: q.commandTimeoutMs,
    outageMs: q.outageMs,
    onPause: (reason) => emit({ type: "queue_paused", reason }),
    onResume: (pausedMs) => emit({ type: "queue_resumed", pausedMs }),
  });
  const redis = failFastClient(IORedis, connection);
  try {
    await link.run(() => whenReady(redis).then(() => redis.ping()));
  } catch (error) {
    redis.disconnect();
    throw error;
  }
  const ledger = new Ledger(redis, q.prefix, q.name);
  const fingerprint = taskFingerprint(task);
  let done = 0;
  let costUsd = 0;

  const processor = async (job: Job<RowJobData, BatchRowResult>, token?: string, signal?: AbortSignal): Promise<BatchRowResult> => {
    const data = job.data;
    const jobId = job.id as string;
    if (rowHash(fingerprint, data.input) !== data.hash) {
      await job.moveToDelayed(Date.now() + 1_000, token);
      void stop(
        new ConfigurationError(
          `batch worker: row ${data.key} on queue "${q.name}" was enqueued with another task (its hash differs): start the worker with the task module the batch was enqueued with`,
        ),
      );
      throw new DelayedError();
    }
    // a row started before (its worker died, or it failed and is tried again) may have been answered: ledger first
    const known = job.attemptsStarted > 1 || job.stalledCounter > 0 ? await link.run(() => ledger.get(jobId)) : null;
    if (known) {
      emit({ type: "row", jobId, result: known, replayed: true, done: ++done, costUsd });
      return known;
    }
    let r: GenerateResult<unknown>;
    try {
      r = (await task(data.input, {
        batch: { id: data.batch, row: String(data.id) },
        ...(signal ? { signal } : {}),
      })) as GenerateResult<unknown>;
    } catch (error) {
      emit({ type: "row_error", jobId, id: data.id, message: error instanceof Error ? error.message : String(error) });
      throw error;
    }
    if (onlyRateLimited(r)) {
      const waits = r.attempts.map((a) => a.error?.retryAfterMs ?? 0);
      const retryAfterMs = Math.max(DEFAULT_RATE_WAIT_MS, ...waits);
      emit({ type: "rate_limited", retryAfterMs });
      await worker.rateLimit(retryAfterMs);
      throw Worker.RateLimitError();
    }
    const result = resultLine(data.id, r, "live");
    await link.run(() => ledger.put(jobId, result));
    costUsd += result.costUsd ?? 0;
    emit({ type: "row", jobId, result, replayed: false, done: ++done, costUsd });
    return result;
  };

  const worker = new Worker<RowJobData, BatchRowResult>(q.name, processor, {
    connection,
    prefix: q.prefix,
    name,
    concurrency: options.concurrency ?? 16,
    lockDuration: options.lockMs ?? 30_000,
    stalledInterval: options.stalledIntervalMs ?? 15_000,
    maxStalledCount: options.maxStalledCount ?? 5,
    // after an outage, fetch again within a second rather than BullMQ's default 15 s
    runRetryDelay: 1_000,
    ...(options.rowsPerMinute ? { limiter: { max: options.rowsPerMinute, duration: 60_000 } } : {}),
  });
  worker.on("error", () => {}); // outages are reported once, by the link

  let settle!: { resolve: () => void; reject: (e: unknown) => void };
  const finished = new Promise<void>((resolve, reject) => {
    settle = { resolve, reject };
  });
  finished.catch(() => {});
  let closing: Promise<void> | null = null;
  const grace = options.graceMs ?? 30_000;
  /**
   * Stops the worker: rows in flight get `graceMs` to finish (then they are cancelled, and go back to the queue
   * once their lock lapses); when Redis is gone there is nothing to wait for. With an error, `done` rejects with it.
   */
  function stop(error?: unknown): Promise<void> {
    closing ??= (async () => {
      stopping.abort();
      const redisGone = error instanceof QueueUnavailableError;
      const closed = worker.close(redisGone);
      await withDeadline(closed, redisGone ? q.commandTimeoutMs : grace).catch(async () => {
        worker.cancelAllJobs("the worker is stopping");
        await withDeadline(closed, q.commandTimeoutMs).catch(() => {});
      });
      await withDeadline(redis.quit(), q.commandTimeoutMs).catch(() => redis.disconnect());
      if (error === undefined) settle.resolve();
      else settle.reject(error);
    })();
    return closing;
  }

  void (async () => {
    while (!stopping.signal.aborted) {
      try {
        await link.run(() => redis.ping(), stopping.signal);
      } catch (error) {
        if (!stopping.signal.aborted) void stop(error);
        return;
      }
      await sleep(PROBE_MS, stopping.signal);
    }
  })();
  await link.run(() => worker.waitUntilReady(), stopping.signal);
  emit({ type: "ready", worker: name, queue: q.name });
  return { name, done: finished, close: () => stop() };
}
