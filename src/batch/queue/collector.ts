/**
 * The enqueuer's side of the queue during a run: rows go out in chunks (`add`, `flush`), and a `sweep` brings
 * finished ones back into the journal, the ordered output and the counts, removes their jobs, and reads the
 * fleet's size for progress. It remembers every row enqueued and not collected yet, so that after an outage it
 * can enqueue them all again (a no-op for the jobs Redis kept). Every Redis call goes through the run's link.
 */
import type { Queue } from "bullmq";
import type { Journal } from "../journal.js";
import type { BatchRowResult } from "../types.js";
import { collectFinished, removeCollected } from "./harvest.js";
import { jobIdOf } from "./job-id.js";
import type { Ledger } from "./ledger.js";
import type { OrderedOutput } from "./ordered-output.js";
import { type RedisLink, withDeadline } from "./redis-link.js";
import type { QueueBatchCounts, QueueBatchEvent, RowJobData } from "./types.js";

/** Rows per `addBulk` call. */
const CHUNK = 500;
/** How often the fleet's size and the rows running are read for progress. */
const FLEET_EVERY_MS = 1_000;

export interface CollectorParts {
  queue: Queue<RowJobData, BatchRowResult, "row">;
  link: RedisLink;
  ledger: Ledger;
  journal: Journal;
  output: OrderedOutput;
  counts: QueueBatchCounts;
  emit: (e: QueueBatchEvent) => void;
  commandTimeoutMs: number;
  signal?: AbortSignal;
}

export class QueueCollector {
  /** Rows enqueued (or about to be) and not collected yet, by job id. */
  readonly waiting = new Map<string, RowJobData>();
  /** Rows collected and not handed to the run's reader yet. */
  readonly ready: BatchRowResult[] = [];
  private pending: RowJobData[] = [];
  private fleetAt = 0;

  constructor(private readonly p: CollectorParts) {}

  /** A row to enqueue: it goes out with the next chunk. */
  async add(data: RowJobData): Promise<void> {
    this.pending.push(data);
    this.waiting.set(jobIdOf(data.key, data.hash), data);
    this.p.counts.queued = this.waiting.size;
    if (this.pending.length >= CHUNK) await this.flush();
  }

  /** Enqueues the rows added since the last chunk went out. */
  async flush(): Promise<void> {
    const list = this.pending;
    this.pending = [];
    await this.enqueue(list);
  }

  private async enqueue(list: readonly RowJobData[]): Promise<void> {
    for (let i = 0; i < list.length; i += CHUNK) {
      const jobs = list.slice(i, i + CHUNK).map((data) => ({ name: "row" as const, data, opts: { jobId: jobIdOf(data.key, data.hash) } }));
      await this.p.link.run(() => this.p.queue.addBulk(jobs), this.p.signal);
    }
  }

  /** Collects finished rows into the journal and the output; returns how many it settled. */
  async sweep(): Promise<number> {
    const { queue, link, journal, output, counts, emit, signal } = this.p;
    // enqueue first: a row collected (and its job removed) before its pending add went out would run again
    await this.flush();
    // Redis came back: it may have lost jobs (a restart without persistence); enqueueing again is a no-op otherwise
    if (link.takeResumed()) await this.enqueue([...this.waiting.values()]);
    const got = await collectFinished(queue, link, this.waiting, signal);
    for (const { data, result, job } of got.completed) {
      const line = JSON.stringify(result);
      const failure = result.source === "fallback" ? JSON.stringify({ id: data.id, input: data.input, errors: result.errors }) : null;
      journal.finish({ key: data.key, hash: data.hash, source: result.source, costUsd: result.costUsd, line, failure });
      output.finish(data.key);
      counts.done++;
      counts[result.source]++;
      counts.costUsd += result.costUsd ?? 0;
      this.ready.push(result);
      emit({ type: "row", result, counts, job });
    }
    for (const { data, reason } of got.failed) {
      output.fail(data.key);
      counts.failed++;
      emit({ type: "row_failed", id: data.id, reason, counts });
    }
    const collected = [...got.completed.map((c) => c.job.jobId), ...got.failed.map((f) => f.jobId)];
    await removeCollected({ queue, ledger: this.p.ledger, link }, collected, signal);
    for (const id of collected) this.waiting.delete(id);
    counts.queued = this.waiting.size;
    output.flush();
    await this.readFleet();
    return collected.length;
  }

  /** Best effort: a Redis that refuses CLIENT LIST (some managed ones do) only loses this figure. */
  private async readFleet(): Promise<void> {
    if (Date.now() - this.fleetAt < FLEET_EVERY_MS) return;
    this.fleetAt = Date.now();
    const { queue, counts } = this.p;
    const fleet = await withDeadline(Promise.all([queue.getWorkersCount(), queue.getActiveCount()]), this.p.commandTimeoutMs).catch(
      () => null,
    );
    if (fleet) [counts.workers, counts.inFlight] = fleet;
    counts.window = counts.workers;
  }
}
