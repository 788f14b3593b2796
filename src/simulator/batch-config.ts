/** The simulator's Batch API config: completion time, per-row failures and expiry (names are a public contract). */
import { checkNumber, isRecord } from "./config-checks.js";
import { SimulatorConfigError } from "./simulator-config-error.js";

export interface BatchConfig {
  /** A batch ends this long after it was created (default 0: as soon as its rows are answered). */
  completionMs?: number;
  /** Share of rows answered with a server error instead of a reply (drawn per batch and row; default 0). */
  rowFailureRate?: number;
  /** The first this many batches created expire (default 0). */
  expireBatches?: number;
  /** Share of an expiring batch's rows left unanswered, the last ones (default 0.5). */
  expiredShare?: number;
}

const NUMBERS = {
  completionMs: { min: 0 },
  rowFailureRate: { min: 0, max: 1 },
  expireBatches: { min: 0, integer: true },
  expiredShare: { min: 0, max: 1 },
};

export function validateBatchConfig(raw: unknown): BatchConfig {
  if (raw === undefined) return {};
  if (!isRecord(raw)) throw new SimulatorConfigError("batches", "must be an object");
  for (const [key, value] of Object.entries(raw)) {
    const rule = NUMBERS[key as keyof typeof NUMBERS];
    if (!rule) throw new SimulatorConfigError(`batches.${key}`, "is not a known batch field");
    checkNumber(value, `batches.${key}`, rule);
  }
  return raw as BatchConfig;
}
