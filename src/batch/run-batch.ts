/**
 * `runBatch(task, rows, options)`: runs every row through the task's cascade, at most `concurrency` at a time
 * (AIMD on 429s), under per-model rate limits and an optional dollar budget, journaling each finished row so
 * a rerun of the same command skips it. Yields each row's result as it finishes (completion order).
 */
import { setMaxListeners } from "node:events";
import { BatchInputError } from "../errors/index.js";
import type { GenerateResult, PerCallOptions } from "../client/index.js";
import { Journal } from "./journal.js";
import { defaultFailuresPath, OutputWriter } from "./output-files.js";
import { AimdWindow } from "./aimd-window.js";
import { BatchRateGate, type Grant } from "./batch-rate-gate.js";
import { RowSink } from "./row-sink.js";
import { UnreadableLine, rowProblem } from "./read-rows.js";
import { costOn, RowEstimator, usageOf } from "./estimate.js";
import { hashRow, taskFingerprint } from "./row-hash.js";
import type { BatchTask } from "./task.js";
import type { BadLine, BatchCounts, BatchEvent, BatchOptions, BatchRowResult, BatchSummary, ModelLimits, StopReason } from "./types.js";
import type { PendingRow, RunState } from "./run-state.js";
import { newBatchId } from "./batch-id.js";
import { checkBatchArguments } from "./check-arguments.js";
import { checkBatchOptions } from "./check-options.js";
import { runProviderBatches } from "./provider-batch/run-provider-batches.js";
import { loadExactTokenCounts } from "../prompt/index.js";
import { resultLine } from "./result-line.js";

export interface BatchRun<T> extends AsyncIterable<BatchRowResult<T>> {
  /** Resolves when the run ends (iterate it, or call `done()` to run it without reading the rows). */
  readonly summary: Promise<BatchSummary>;
  /** Runs to the end without handing out rows; resolves to the summary. */
  done(): Promise<BatchSummary>;
}

export interface RunBatchOutput {
  /** Output JSONL: one line per finished row. */
  path: string;
  /** Rows that ended on the fallback (to rerun). @default `<path>.failures.jsonl` */
  failures?: string;
}

export function runBatch<T>(
  task: BatchTask<T>,
  rows: Iterable<unknown> | AsyncIterable<unknown>,
  options: BatchOptions & { output?: RunBatchOutput },
): BatchRun<T> {
  let resolveSummary!: (s: BatchSummary) => void;
  let rejectSummary!: (e: unknown) => void;
  const summary = new Promise<BatchSummary>((res, rej) => {
    resolveSummary = res;
    rejectSummary = rej;
  });
  summary.catch(() => {});
  let started = false;
  const iterate = () => {
    if (started) throw new Error("a batch run can be iterated once");
    started = true;
    return generate(task as BatchTask, rows, options, { resolve: resolveSummary, reject: rejectSummary }) as AsyncGenerator<
      BatchRowResult<T>
    >;
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

/** The rate gate the options ask for, or null when rows need not wait. */
function gateFrom(options: BatchOptions): BatchRateGate | null {
  if (!options.limits && !options.pauses) return null;
  const l = (options.limits ?? {}) as ModelLimits & Record<string, ModelLimits>;
  const perModel = l.rpm !== undefined || l.tpm !== undefined ? { "*": { rpm: l.rpm, tpm: l.tpm } } : (l as Record<string, ModelLimits>);
  return new BatchRateGate({ limits: perModel, windowMs: options.limitWindowMs, limiter: options.limiter, pauses: options.pauses });
}

async function* generate(
  task: BatchTask,
  rows: Iterable<unknown> | AsyncIterable<unknown>,
  options: BatchOptions & { output?: RunBatchOutput },
  summary: { resolve: (s: BatchSummary) => void; reject: (e: unknown) => void },
): AsyncGenerator<BatchRowResult> {
  const { resolve: resolveSummary, reject: rejectSummary } = summary;
  let journal: Journal;
  try {
    checkBatchArguments("batch", task, rows, options);
    checkBatchOptions(options);
    journal = new Journal(options.journal);
  } catch (error) {
    rejectSummary(error); // the summary never waits on a run that could not start
    throw error;
  }
  let output: OutputWriter | null = null;
  let sink: RowSink | null = null;
  try {
    const batchId = options.batchId ?? journal.meta("batch_id") ?? newBatchId();
    journal.setMeta("batch_id", batchId);
    if (options.output) {
      output = new OutputWriter(options.output.path, options.output.failures ?? defaultFailuresPath(options.output.path));
      output.open(journal);
    }
    const fingerprint = taskFingerprint(task);
    const primary = task.models[0];
    if (!primary) throw new BatchInputError(null, "the task has no models");
    const gate = gateFrom(options);
    // a row's tokens and dollars are estimated only for what needs them: the budget and token limits
    const needsEstimates = options.budgetUsd !== undefined || gate?.countsTokens === true;
    if (needsEstimates) await loadExactTokenCounts(); // exact when gpt-tokenizer is installed
    const estimator = needsEstimates ? new RowEstimator(task) : null;
    // a journal empty at the start has no finished row to look up (duplicates within the run are caught apart)
    const resumed = journal.count();
    const window = new AimdWindow(options.concurrency ?? 16);
    const badRows: BadLine[] = [];
    const counts: BatchCounts = {
      total: null,
      done: 0,
      skipped: 0,
      model: 0,
      repaired: 0,
      fallback: 0,
      bad: 0,
      costUsd: journal.spent,
      inFlight: 0,
      window: window.slots,
      backoffMs: 0,
    };
    const emit = (e: BatchEvent) => options.onEvent?.(e);
    const ready: BatchRowResult[] = [];
    let wake: (() => void) | null = null;
    const notify = () => {
      const w = wake;
      wake = null;
      w?.();
    };
    let outputError: unknown = null;
    let stop: { reason: StopReason; message: string } | null = null;
    let invalidated = 0;
    const state: RunState = {
      task,
      journal,
      output,
      counts,
      batchId,
      emit,
      finish(row, result, failure) {
        sink?.add({
          key: row.key,
          hash: row.hash,
          result,
          failure: failure ? JSON.stringify({ id: row.id, input: row.input, errors: result.errors }) : null,
        });
      },
    };
    sink = new RowSink(journal, output, {
      committed(results) {
        for (const result of results) {
          counts.done++;
          counts[result.source]++;
          counts.costUsd += result.costUsd ?? 0;
          ready.push(result);
          emit({ type: "row", result, counts });
        }
        notify();
      },
      journalFailed(error) {
        stop ??= {
          reason: "output",
          message: `could not write the journal: ${(error as Error).message}; its committed rows are intact, a rerun sends the rest`,
        };
        notify();
      },
      outputFailed(error) {
        // the journal has the rows: a rerun writes them once the disk has room; no new rows meanwhile
        outputError ??= error;
        stop ??= {
          reason: "output",
          message: `could not write the output: ${(error as Error).message}; the journal has every finished row`,
        };
        notify();
      },
    });

    let reserved = 0; // estimated dollars of rows in flight
    const abandon = new AbortController();
    setMaxListeners(0, abandon.signal); // every row in flight listens to it
    const onSignal = () => {
      stop ??= { reason: "signal", message: "interrupted: in-flight rows were allowed to finish" };
      const grace = setTimeout(() => abandon.abort(), options.graceMs ?? 10_000);
      grace.unref();
      notify();
    };
    if (options.signal?.aborted) onSignal();
    else options.signal?.addEventListener("abort", onSignal, { once: true });

    const seen = new Set<string>();
    /** Rows that fell back only because the provider kept answering 429: sent again, not journaled. */
    const retry: PendingRow[] = [];
    const pending: PendingRow[] = [];
    // "auto": the Batch API when the run may take as long as the provider's 24-hour window and a client is there
    const hasClient =
      primary.provider === "openai"
        ? !!options.providerBatch?.openai
        : primary.provider === "anthropic"
          ? !!options.providerBatch?.anthropic
          : false;
    const useProviderBatch =
      options.mode === "batch" ||
      (options.mode === "auto" && hasClient && (options.providerBatch?.deadlineMs ?? Number.POSITIVE_INFINITY) >= 86_400_000);
    const iterator = (
      Symbol.asyncIterator in rows
        ? (rows as AsyncIterable<unknown>)[Symbol.asyncIterator]()
        : (rows as Iterable<unknown>)[Symbol.iterator]()
    ) as AsyncIterator<unknown> | Iterator<unknown>;
    let sourceDone = false;
    emit({ type: "start", batchId, resumed, invalidated: 0 });

    /** The next row to send, or null when the input is used up or the run stops. */
    const nextRow = async (): Promise<PendingRow | null> => {
      if (!stop && retry.length > 0) return retry.shift() as PendingRow;
      while (!stop) {
        const step = await iterator.next();
        if (step.done) {
          sourceDone = true;
          return null;
        }
        const item = step.value;
        let line: number | null = null;
        let problem: string | null;
        let value = item;
        if (item instanceof UnreadableLine) {
          line = item.line;
          problem = item.reason;
        } else {
          if (item && typeof item === "object" && "line" in item && "value" in item && Object.keys(item).length === 2) {
            line = (item as { line: number }).line;
            value = (item as { value: unknown }).value;
          }
          problem = rowProblem(value);
        }
        const row = value as { id: string | number; input: unknown };
        const key = problem === null ? JSON.stringify(row.id) : "";
        if (problem === null && seen.has(key)) problem = `duplicate id ${key}`;
        let hash = "";
        if (problem === null) {
          const hashed = hashRow(fingerprint, row.input); // a BigInt or a cycle in the input makes a bad row
          if (hashed.problem === null) hash = hashed.hash;
          else problem = `row ${key}: ${hashed.problem}`;
        }
        if (problem !== null) {
          counts.bad++;
          badRows.push({ line: line ?? 0, reason: problem });
          emit({ type: "bad_row", line, reason: problem });
          if ((options.onBadRow ?? "skip") === "stop") throw new BatchInputError(line, problem);
          continue;
        }
        seen.add(key);
        const done = resumed > 0 ? journal.get(key) : undefined;
        if (done && done.hash === hash) {
          counts.skipped++;
          continue;
        }
        if (done) invalidated++;
        if (!estimator) return { key, id: row.id, input: row.input, hash, estimatedTokens: 0, estimatedCost: 0 };
        const e = estimator.estimate(row.input);
        const cost = costOn(primary, usageOf(e)) ?? 0;
        if (options.budgetUsd !== undefined && journal.spent + reserved + cost > options.budgetUsd) {
          stop = {
            reason: "budget",
            message: `budget of $${dollars(options.budgetUsd)} reached ($${dollars(journal.spent)} spent, $${dollars(reserved)} more in flight); rerun with a higher budget to continue`,
          };
          return null;
        }
        return { key, id: row.id, input: row.input, hash, estimatedTokens: e.inputTokens + e.outputTokens, estimatedCost: cost };
      }
      return null;
    };

    const runLive = async (row: PendingRow, grant: Grant | null) => {
      counts.inFlight++;
      reserved += row.estimatedCost;
      try {
        const callOptions: PerCallOptions = { batch: { id: batchId, row: String(row.id) } };
        // only a run that can be interrupted can abandon its rows (a listener per call costs ~5 µs a row)
        if (options.signal) callOptions.signal = abandon.signal;
        const r = (await task(row.input, callOptions)) as GenerateResult<unknown>;
        let throttled = false;
        let primaryTokens = 0;
        for (const a of r.attempts) {
          if (a.outcome === "rate_limited") {
            throttled = true;
            // the pause runs from the 429, not from now: the cascade may have waited it out already
            const left = a.error?.retryAfterMs === undefined ? 0 : a.startedAt + a.latencyMs + a.error.retryAfterMs - Date.now();
            if (gate && left > 0) gate.pauses.pause(a.model, left);
            emit({ type: "rate_limited", model: a.model, retryAfterMs: a.error?.retryAfterMs ?? null, window: window.slots });
          }
          const tokens = a.usage.inputTokens + a.usage.outputTokens;
          if (a.model === primary.modelId && a.provider === primary.provider) primaryTokens += tokens;
          else gate?.record({ provider: a.provider, modelId: a.model }, tokens);
        }
        grant?.settle(primaryTokens);
        if (throttled) window.throttled();
        else window.success();
        counts.window = window.slots;
        if (r.source === "fallback" && r.errors.length > 0 && r.errors.every((e) => e?.kind === "rate_limited") && !stop) {
          retry.push(row);
          return;
        }
        state.finish(row, resultLine(row.id, r, "live"), r.source === "fallback");
      } catch (error) {
        grant?.settle(row.estimatedTokens);
        // No value (no fallback, or abandoned at the grace period): not journaled, so a rerun sends it again.
        emit({ type: "bad_row", line: null, reason: `row ${row.key} failed: ${(error as Error).message}` });
      } finally {
        counts.inFlight--;
        reserved -= row.estimatedCost;
        notify();
      }
    };

    if (useProviderBatch) {
      const all: PendingRow[] = [];
      for (let row = await nextRow(); row; row = await nextRow()) all.push(row);
      pending.push(...all);
      const leftovers = await runProviderBatches(state, pending, options.providerBatch ?? {}, abandon.signal);
      // rows the provider could not answer validly go through the live cascade
      for (const row of leftovers) {
        if (stop) break;
        while (counts.inFlight >= window.slots) await new Promise<void>((r) => (wake = r));
        void runLive(row, gate ? await gate.acquire(primary, row.estimatedTokens, abandon.signal) : null);
        while (ready.length) yield ready.shift() as BatchRowResult;
      }
    } else {
      while (true) {
        while (!stop && (!sourceDone || retry.length > 0) && counts.inFlight < window.slots && ready.length < 256) {
          const row = await nextRow();
          if (!row) break;
          let grant: Grant | null = null;
          if (gate) {
            counts.backoffMs = gate.backoffMs(primary.modelId);
            grant = await gate.acquire(primary, row.estimatedTokens, abandon.signal);
          }
          void runLive(row, grant);
        }
        while (ready.length) yield ready.shift() as BatchRowResult;
        if (counts.inFlight === 0 && ((sourceDone && retry.length === 0) || stop)) break;
        await new Promise<void>((r) => {
          wake = r;
          if (ready.length || (counts.inFlight < window.slots && !stop && (!sourceDone || retry.length > 0))) notify();
        });
      }
    }
    while (counts.inFlight > 0) await new Promise<void>((r) => (wake = r));
    sink.flush();
    while (ready.length) yield ready.shift() as BatchRowResult;
    options.signal?.removeEventListener("abort", onSignal);

    if (outputError)
      stop = {
        reason: "output",
        message: `could not write the output: ${(outputError as Error).message}; the journal has every finished row`,
      };
    if (output && !outputError) {
      if (invalidated > 0) output.rewrite(journal);
      output.writeFailures(journal);
    }
    const final = stop ?? { reason: "done" as const, message: `${counts.done + counts.skipped} rows finished` };
    emit({ type: "stop", reason: final.reason, message: final.message, counts });
    resolveSummary({ batchId, reason: final.reason, message: final.message, counts, badRows });
  } catch (error) {
    rejectSummary(error);
    throw error;
  } finally {
    sink?.flush(); // rows finished but not yet yielded (the caller stopped reading) are kept
    output?.close();
    journal.close();
  }
}

/** Dollars as a message shows them: cents from $1 up, four significant digits below (a cheap run's $0.000627). */
function dollars(usd: number): string {
  return usd >= 1 ? usd.toFixed(2) : usd.toPrecision(4);
}
