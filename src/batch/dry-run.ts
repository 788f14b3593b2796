/**
 * `--dry-run`: the estimated tokens and dollars of a batch before anything is sent, for the rows the journal
 * has not finished (the primary model's first attempt per row; Batch API rows at the provider discount).
 */
import { existsSync } from "node:fs";
import { costOn, type ModelEstimate, RowEstimator, usageOf } from "./estimate.js";
import { Journal } from "./journal.js";
import { BATCH_DISCOUNT } from "./provider-batch/types.js";
import { UnreadableLine, rowProblem } from "./read-rows.js";
import { hashRow, taskFingerprint } from "./row-hash.js";
import type { BatchTask } from "./task.js";
import { loadExactTokenCounts } from "../prompt/index.js";

export interface DryRunEstimate extends ModelEstimate {
  /** Rows the journal already has (not counted). */
  finished: number;
  bad: number;
}

export async function estimateBatch(
  task: BatchTask,
  rows: Iterable<unknown> | AsyncIterable<unknown>,
  options: { journal?: string; mode?: "live" | "batch" | "auto" } = {},
): Promise<DryRunEstimate> {
  const primary = task.models[0];
  if (!primary) throw new Error("the task has no models");
  await loadExactTokenCounts(); // exact estimates when gpt-tokenizer is installed
  const estimator = new RowEstimator(task);
  const fingerprint = taskFingerprint(task);
  const journal = options.journal && existsSync(options.journal) ? new Journal(options.journal) : null;
  const out: DryRunEstimate = {
    model: primary.modelId,
    provider: primary.provider,
    rows: 0,
    inputTokens: 0,
    outputTokens: 0,
    costUsd: 0,
    finished: 0,
    bad: 0,
  };
  const seen = new Set<string>();
  try {
    for await (const item of rows as AsyncIterable<unknown>) {
      const value = item && typeof item === "object" && "line" in item && "value" in item ? (item as { value: unknown }).value : item;
      if (item instanceof UnreadableLine || rowProblem(value) !== null) {
        out.bad++;
        continue;
      }
      const row = value as { id: string | number; input: unknown };
      const key = JSON.stringify(row.id);
      if (seen.has(key)) {
        out.bad++;
        continue;
      }
      const { hash } = hashRow(fingerprint, row.input);
      if (hash === null) {
        out.bad++; // an input JSON cannot hold (a BigInt, a cycle): the run skips it as a bad row
        continue;
      }
      seen.add(key);
      if (journal && journal.get(key)?.hash === hash) {
        out.finished++;
        continue;
      }
      const e = estimator.estimate(row.input);
      out.rows++;
      out.inputTokens += e.inputTokens;
      out.outputTokens += e.outputTokens;
    }
  } finally {
    journal?.close();
  }
  out.costUsd = costOn(
    primary,
    usageOf({ inputTokens: out.inputTokens, outputTokens: out.outputTokens }),
    options.mode === "batch" ? BATCH_DISCOUNT : 1,
  );
  return out;
}
