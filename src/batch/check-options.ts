/** Checks a batch run's options up front: a ConfigurationError names the option at fault. */
import { ConfigurationError } from "../errors/index.js";
import type { BatchOptions } from "./types.js";

export function checkBatchOptions(o: BatchOptions) {
  if (typeof o.journal !== "string" || o.journal === "") throw new ConfigurationError("batch: journal must be a file path");
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
}
