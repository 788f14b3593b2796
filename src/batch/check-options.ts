/**
 * Checks a batch run's options up front, before the journal is opened or a row is read: a ConfigurationError
 * names the option at fault and what was given.
 */
import { ConfigurationError } from "../errors/index.js";
import { shown } from "./check-arguments.js";
import type { BatchOptions } from "./types.js";

/** Checks the fields every batch run shares (runBatch's and enqueueBatch's): journal, output, signal, onEvent, batchId. */
export function checkRunFields(
  layer: string,
  o: { journal?: unknown; batchId?: unknown; signal?: unknown; onEvent?: unknown; output?: unknown },
): void {
  if (typeof o.journal !== "string" || o.journal === "")
    throw new ConfigurationError(`${layer}: journal must be a file path (the SQLite resume journal), got ${shown(o.journal)}`);
  if (o.batchId !== undefined && (typeof o.batchId !== "string" || o.batchId === ""))
    throw new ConfigurationError(`${layer}: batchId must be a non-empty string, got ${shown(o.batchId)}`);
  if (o.onEvent !== undefined && typeof o.onEvent !== "function")
    throw new ConfigurationError(`${layer}: onEvent must be a function (event) => void, got ${shown(o.onEvent)}`);
  const signal = o.signal as { aborted?: unknown; addEventListener?: unknown } | undefined;
  if (
    signal !== undefined &&
    (typeof signal !== "object" || signal === null || typeof signal.addEventListener !== "function" || typeof signal.aborted !== "boolean")
  )
    throw new ConfigurationError(`${layer}: signal must be an AbortSignal, got ${shown(o.signal)}`);
  if (o.output !== undefined) {
    const out = o.output as { path?: unknown; failures?: unknown } | null;
    if (typeof out !== "object" || out === null || typeof out.path !== "string" || out.path === "")
      throw new ConfigurationError(`${layer}: output must be an object like { path: "out.jsonl" }, got ${shown(o.output)}`);
    if (out.failures !== undefined && (typeof out.failures !== "string" || out.failures === ""))
      throw new ConfigurationError(`${layer}: output.failures must be a file path, got ${shown(out.failures)}`);
  }
}

export function checkBatchOptions(o: BatchOptions & { output?: unknown }): void {
  checkRunFields("batch", o);
  const positive = (v: unknown) => typeof v === "number" && v > 0 && Number.isFinite(v);
  if (o.concurrency !== undefined && !(Number.isInteger(o.concurrency) && o.concurrency >= 1))
    throw new ConfigurationError(`batch: concurrency must be a whole number >= 1, got ${String(o.concurrency)}`);
  if (o.budgetUsd !== undefined && !positive(o.budgetUsd))
    throw new ConfigurationError(`batch: budgetUsd must be a positive number of dollars, got ${String(o.budgetUsd)}`);
  if (o.graceMs !== undefined && !(typeof o.graceMs === "number" && o.graceMs >= 0))
    throw new ConfigurationError(`batch: graceMs must be >= 0, got ${String(o.graceMs)}`);
  if (o.limitWindowMs !== undefined && !positive(o.limitWindowMs))
    throw new ConfigurationError(`batch: limitWindowMs must be a positive number of milliseconds, got ${String(o.limitWindowMs)}`);
  if (o.limits !== undefined) {
    if (typeof o.limits !== "object" || o.limits === null)
      throw new ConfigurationError("batch: limits must be an object like { rpm: 500 }");
    const l = o.limits as Record<string, unknown>;
    const perModel = "rpm" in l || "tpm" in l ? { "*": l } : l;
    for (const [model, limits] of Object.entries(perModel)) {
      const where = model === "*" && perModel !== l ? "limits" : `limits["${model}"]`;
      if (typeof limits !== "object" || limits === null)
        throw new ConfigurationError(`batch: ${where} must be an object like { rpm: 500 }`);
      for (const field of ["rpm", "tpm"] as const) {
        const v = (limits as Record<string, unknown>)[field];
        if (v !== undefined && !positive(v))
          throw new ConfigurationError(`batch: ${where}.${field} must be a positive number, got ${String(v)}`);
      }
    }
  }
  if (o.onBadRow !== undefined && o.onBadRow !== "skip" && o.onBadRow !== "stop")
    throw new ConfigurationError(`batch: onBadRow must be "skip" or "stop", got ${String(o.onBadRow)}`);
  if (o.mode !== undefined && o.mode !== "live" && o.mode !== "batch" && o.mode !== "auto")
    throw new ConfigurationError(`batch: mode must be "live", "batch" or "auto", got ${String(o.mode)}`);
  if (o.providerBatch !== undefined && (typeof o.providerBatch !== "object" || o.providerBatch === null))
    throw new ConfigurationError(`batch: providerBatch must be an object like { openai: new OpenAI() }, got ${shown(o.providerBatch)}`);
}
