/**
 * `ballast batch --queue redis://...`: the enqueuing side of a distributed batch from the command line. Puts
 * the rows on the queue, shows the fleet's progress (rows/s, dollars, rows running, workers), writes the output
 * in input order, and exits: 0 when every row is in, 1 when rows failed on every try or Redis stayed away,
 * 130 after Ctrl-C (the rows stay queued; the same command collects them).
 */
import {
  type BatchEvent,
  type BatchTask,
  createProgress,
  readRows,
  enqueueBatch,
  type QueueBatchEvent,
  type QueueBatchOptions,
} from "../batch/index.js";

export interface QueueBatchCliOptions {
  input: string;
  task: BatchTask;
  url: string;
  name?: string;
  out: string;
  failures?: string;
  journal: string;
  maxQueued?: number;
  attempts?: number;
  outageMs?: number;
  json: boolean;
  /** Rows the input holds (from the scan before anything is sent). */
  total: number;
}

export async function runQueueBatch(o: QueueBatchCliOptions): Promise<never> {
  const progress = createProgress({ json: o.json, tty: process.stderr.isTTY === true, total: o.total });
  const say = (line: string) => (o.json ? undefined : process.stderr.write(`${line}\n`));
  const onEvent = (e: QueueBatchEvent) => {
    switch (e.type) {
      case "queue_paused":
        if (o.json) process.stdout.write(`${JSON.stringify(e)}\n`);
        return say(`Redis unreachable (${e.reason}): the batch is paused, waiting up to ${o.outageMs ?? 60_000} ms for it`);
      case "queue_resumed":
        if (o.json) process.stdout.write(`${JSON.stringify(e)}\n`);
        return say(`Redis answers again after ${e.pausedMs} ms: the batch goes on`);
      case "row_failed":
        if (o.json) process.stdout.write(`${JSON.stringify(e)}\n`);
        return say(`row ${JSON.stringify(e.id)} failed on every try: ${e.reason}`);
      case "bad_row":
        return e.line !== null && !o.json ? undefined : progress.onEvent(e); // the scan reported malformed lines
      default:
        return progress.onEvent(e as BatchEvent);
    }
  };
  const stop = new AbortController();
  let interrupts = 0;
  const onInt = () => {
    if (++interrupts > 1) process.exit(130); // the journal holds every collected row
    say("\ninterrupted: rows already queued stay in the queue for the workers (Ctrl-C again to quit now)");
    stop.abort();
  };
  process.on("SIGINT", onInt);
  process.on("SIGTERM", onInt);
  const options: QueueBatchOptions = {
    url: o.url,
    journal: o.journal,
    output: { path: o.out, ...(o.failures ? { failures: o.failures } : {}) },
    signal: stop.signal,
    onEvent,
    ...(o.name ? { name: o.name } : {}),
    ...(o.maxQueued ? { maxQueued: o.maxQueued } : {}),
    ...(o.attempts ? { attempts: o.attempts } : {}),
    ...(o.outageMs !== undefined ? { outageMs: o.outageMs } : {}),
  };
  let summary: Awaited<ReturnType<ReturnType<typeof enqueueBatch>["done"]>>;
  try {
    summary = await enqueueBatch(o.task, readRows(o.input), options).done();
  } catch (error) {
    progress.stop();
    process.stderr.write(`ballast batch: ${(error as Error).message}\n`);
    if ((error as { kind?: string }).kind === "queue_unavailable")
      process.stderr.write("the journal keeps every row collected so far: run the same command once Redis answers to go on\n");
    process.exit((error as { kind?: string }).kind === "configuration" ? 2 : 1);
  } finally {
    process.off("SIGINT", onInt);
    process.off("SIGTERM", onInt);
  }
  progress.stop();
  const c = summary.counts;
  say(
    `${summary.message}\n${c.done} rows collected this run, ${c.skipped} from the journal; valid ${c.model}, repaired ${c.repaired}, fallback ${c.fallback}, failed ${c.failed}, $${c.costUsd.toFixed(4)} in total (batch ${summary.batchId})`,
  );
  if (summary.reason === "signal") {
    say(`to collect the rest: ballast ${process.argv.slice(2).join(" ")}`);
    process.exit(130);
  }
  process.exit(c.failed > 0 ? 1 : 0);
}
