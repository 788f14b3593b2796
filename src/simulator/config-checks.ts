/** Small checks the simulator's config readers share: each names the field it rejects. */
import { SimulatorConfigError } from "./simulator-config-error.js";

export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

export function checkNumber(value: unknown, field: string, opts: { min?: number; max?: number; integer?: boolean } = {}) {
  if (typeof value !== "number" || !Number.isFinite(value)) {
    throw new SimulatorConfigError(field, `must be a finite number (got ${JSON.stringify(value)})`);
  }
  if (opts.integer && !Number.isInteger(value)) throw new SimulatorConfigError(field, "must be an integer");
  if (opts.min !== undefined && value < opts.min) throw new SimulatorConfigError(field, `must be >= ${opts.min}`);
  if (opts.max !== undefined && value > opts.max) throw new SimulatorConfigError(field, `must be <= ${opts.max}`);
}
