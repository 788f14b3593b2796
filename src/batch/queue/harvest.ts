/**
 * Collects this run's finished rows from the queue: the ids of completed and failed jobs (oldest first), only
 * those of rows this run is waiting for (another run's jobs are left alone), each job's result or failure, and
 * afterwards removes the collected jobs and their ledger entries. Every Redis call goes through the run's link.
 */
import type { BatchRowResult } from "../types.js";
import type { Ledger } from "./ledger.js";
import type { RedisLink } from "./redis-link.js";
import type { RowJobData, RowJobInfo } from "./types.js";

/** What collecting needs of a BullMQ queue. */
export interface FinishedJobs {
  getRanges(types: Array<"completed" | "failed">, start: number, end: number, asc: boolean): Promise<string[]>;
  getJob(id: string): Promise<
    | {
        returnvalue: unknown;
        failedReason?: string;
        processedOn?: number;
        finishedOn?: number;
        attemptsMade: number;
      }
    | undefined
  >;
  remove(id: string): Promise<number>;
}

/** Job ids read per Redis call; finished rows collected per sweep, at most. */
const PAGE = 500;

export interface Collected {
  completed: Array<{ data: RowJobData; result: BatchRowResult; job: RowJobInfo }>;
  failed: Array<{ data: RowJobData; reason: string; jobId: string }>;
}

export async function collectFinished(
  queue: FinishedJobs,
  link: RedisLink,
  waiting: ReadonlyMap<string, RowJobData>,
  signal?: AbortSignal,
): Promise<Collected> {
  const out: Collected = { completed: [], failed: [] };
  for (const state of ["completed", "failed"] as const) {
    const mine: string[] = [];
    for (let start = 0; mine.length < PAGE; start += PAGE) {
      const ids = await link.run(() => queue.getRanges([state], start, start + PAGE - 1, true), signal);
      for (const id of ids) if (waiting.has(id)) mine.push(id);
      if (ids.length < PAGE) break;
    }
    const jobs = await link.run(() => Promise.all(mine.map((id) => queue.getJob(id))), signal);
    for (const [i, job] of jobs.entries()) {
      const jobId = mine[i] as string;
      const data = waiting.get(jobId) as RowJobData;
      if (!job) continue; // removed meanwhile (another enqueuer on the same queue): the row is sent again later
      if (state === "failed") {
        out.failed.push({ data, jobId, reason: job.failedReason || "failed" });
        continue;
      }
      const result = job.returnvalue as BatchRowResult | null;
      if (!result || typeof result !== "object" || !("source" in result)) {
        out.failed.push({ data, jobId, reason: "the worker returned no row result" });
        continue;
      }
      out.completed.push({
        data,
        result,
        job: {
          jobId,
          worker: (job as { processedBy?: string }).processedBy ?? null,
          startedAt: job.processedOn ?? null,
          finishedAt: job.finishedOn ?? null,
          attempts: job.attemptsMade,
        },
      });
    }
  }
  return out;
}

/** Removes collected jobs and their ledger entries (after the rows are in the journal). */
export async function removeCollected(
  { queue, ledger, link }: { queue: FinishedJobs; ledger: Ledger; link: RedisLink },
  jobIds: readonly string[],
  signal?: AbortSignal,
): Promise<void> {
  if (jobIds.length === 0) return;
  await link.run(() => Promise.all(jobIds.map((id) => queue.remove(id))), signal);
  await link.run(() => ledger.forget(jobIds), signal);
}
