/**
 * `ballast worker --queue redis://... --task task.ts`: runs the rows a `ballast batch --queue` put on the queue,
 * on as many processes and machines as you start. Prints its progress (rows, rows/s, dollars) every few
 * seconds; Ctrl-C (or SIGTERM) lets the rows in flight finish. Exit codes: 0 after a signal, 1 when Redis
 * stayed unreachable longer than --outage-ms, 2 when the task module or an option is wrong, or the queue holds
 * rows enqueued with another task.
 */
import { Command } from "commander";
import { loadTask, type BatchWorkerEvent, type BatchWorkerOptions, startBatchWorker } from "../../batch/index.js";
import { integer } from "../option-parsers.js";

interface Opts {
  queue: string;
  task: string;
  queueName?: string;
  concurrency: number;
  rowsPerMinute?: number;
  name?: string;
  lockMs?: number;
  stalledMs?: number;
  outageMs?: number;
  graceMs?: number;
  json?: boolean;
}

/** How often the progress line is printed. */
const PROGRESS_MS = 5_000;

export const command: Command = new Command("worker")
  .description("run the rows `ballast batch --queue` enqueued, on this machine")
  .requiredOption("--queue <redis-url>", "the Redis the batch was enqueued in, e.g. redis://10.0.0.5:6379")
  .requiredOption("--task <module>", "module whose default export is the Ballast task the batch was enqueued with")
  .option("--queue-name <name>", "the queue to take rows from (default ballast)")
  .option("--concurrency <n>", "rows this worker runs at once", integer(1, 10_000), 16)
  .option("--rows-per-minute <n>", "rows started per minute by all the queue's workers together", integer(1))
  .option("--name <name>", "the name stored on the rows this worker runs (default <host>:<pid>)")
  .option("--lock-ms <ms>", "a killed worker's rows go back to the queue after about this long (default 30000)", integer(100))
  .option("--stalled-ms <ms>", "how often workers look for rows of dead workers (default 15000)", integer(100))
  .option("--outage-ms <ms>", "how long Redis may stay unreachable before the worker gives up (default 60000)", integer(0))
  .option("--grace-ms <ms>", "after Ctrl-C, how long rows in flight may take (default 30000)", integer(0))
  .option("--json", "events as JSON lines on stdout")
  .action(async (opts: Opts) => {
    const task = await loadTask(opts.task);
    const started = performance.now();
    let last = 0;
    const json = opts.json === true;
    const say = (line: string) => process.stderr.write(`${line}\n`);
    const onEvent = (e: BatchWorkerEvent) => {
      if (json) {
        process.stdout.write(`${JSON.stringify(e.type === "row" ? { ...e, result: { id: e.result.id, source: e.result.source } } : e)}\n`);
        return;
      }
      if (e.type === "ready") say(`worker ${e.worker}: taking rows from queue "${e.queue}"`);
      else if (e.type === "queue_paused")
        say(`Redis unreachable (${e.reason}): paused, waiting up to ${opts.outageMs ?? 60_000} ms for it`);
      else if (e.type === "queue_resumed") say(`Redis answers again after ${e.pausedMs} ms`);
      else if (e.type === "row_error") say(`row ${JSON.stringify(e.id)}: ${e.message}`);
      else if (e.type === "row" && performance.now() - last >= PROGRESS_MS) {
        last = performance.now();
        const seconds = (last - started) / 1000;
        say(`${e.done} rows, ${(e.done / seconds).toFixed(1)} rows/s, $${e.costUsd.toFixed(4)}`);
      }
    };
    const options: BatchWorkerOptions = {
      url: opts.queue,
      concurrency: opts.concurrency,
      onEvent,
      ...(opts.queueName ? { name: opts.queueName } : {}),
      ...(opts.rowsPerMinute ? { rowsPerMinute: opts.rowsPerMinute } : {}),
      ...(opts.name ? { workerName: opts.name } : {}),
      ...(opts.lockMs ? { lockMs: opts.lockMs } : {}),
      ...(opts.stalledMs ? { stalledIntervalMs: opts.stalledMs } : {}),
      ...(opts.outageMs !== undefined ? { outageMs: opts.outageMs } : {}),
      ...(opts.graceMs !== undefined ? { graceMs: opts.graceMs } : {}),
    };
    const worker = await startBatchWorker(task, options);
    let signals = 0;
    const onSignal = () => {
      if (++signals > 1) process.exit(130); // rows in flight go back to the queue once their lock lapses
      say("stopping: rows in flight finish first (Ctrl-C again to quit now)");
      void worker.close();
    };
    process.on("SIGINT", onSignal);
    process.on("SIGTERM", onSignal);
    try {
      await worker.done;
    } catch (error) {
      say(`ballast worker: ${(error as Error).message}`);
      process.exit((error as { kind?: string }).kind === "configuration" ? 2 : 1);
    }
    process.exit(0);
  });
