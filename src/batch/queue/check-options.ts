/**
 * Checks a distributed batch's options up front (a ConfigurationError names the option at fault) and fills in
 * the defaults, so the enqueuer and the worker read one resolved shape.
 */
import { ConfigurationError } from "../../errors/index.js";
import { checkRunFields } from "../check-options.js";
import type { BatchWorkerOptions, QueueBatchOptions, QueueOptions } from "./types.js";

export interface ResolvedQueue {
  url: string;
  name: string;
  prefix: string;
  commandTimeoutMs: number;
  outageMs: number;
}

const MAX_MS = 2 ** 31 - 1;

/** Checks that `value`, when set, is a whole number in `[min, max]` (max defaults to the longest timer). */
function whole(layer: string, name: string, value: unknown, [min, max = MAX_MS]: [number, number?]): void {
  if (value !== undefined && !(Number.isInteger(value) && (value as number) >= min && (value as number) <= max))
    throw new ConfigurationError(`${layer}: ${name} must be a whole number from ${min} to ${max}, got ${String(value)}`);
}

function queueOf(layer: string, o: QueueOptions): ResolvedQueue {
  if (typeof o.url !== "string" || o.url === "") throw new ConfigurationError(`${layer}: url must be a redis:// URL`);
  for (const key of ["name", "prefix"] as const) {
    const v = o[key];
    if (v !== undefined && (typeof v !== "string" || !/^[\w.-]+$/.test(v)))
      throw new ConfigurationError(`${layer}: ${key} must be letters, digits, ".", "_" or "-", got ${JSON.stringify(v)}`);
  }
  whole(layer, "commandTimeoutMs", o.commandTimeoutMs, [1]);
  whole(layer, "outageMs", o.outageMs, [0]);
  return {
    url: o.url,
    name: o.name ?? "ballast",
    prefix: o.prefix ?? "ballast",
    commandTimeoutMs: o.commandTimeoutMs ?? 5_000,
    outageMs: o.outageMs ?? 60_000,
  };
}

export function checkQueueBatchOptions(o: QueueBatchOptions): ResolvedQueue {
  const layer = "queue batch";
  checkRunFields(layer, o);
  whole(layer, "maxQueued", o.maxQueued, [1]);
  whole(layer, "attempts", o.attempts, [1, 100]);
  whole(layer, "pollMs", o.pollMs, [1]);
  if (o.onBadRow !== undefined && o.onBadRow !== "skip" && o.onBadRow !== "stop")
    throw new ConfigurationError(`${layer}: onBadRow must be "skip" or "stop", got ${String(o.onBadRow)}`);
  return queueOf(layer, o);
}

export function checkWorkerOptions(o: BatchWorkerOptions): ResolvedQueue {
  const layer = "batch worker";
  whole(layer, "concurrency", o.concurrency, [1, 10_000]);
  whole(layer, "rowsPerMinute", o.rowsPerMinute, [1]);
  whole(layer, "lockMs", o.lockMs, [100]);
  whole(layer, "stalledIntervalMs", o.stalledIntervalMs, [100]);
  whole(layer, "maxStalledCount", o.maxStalledCount, [1, 1_000]);
  whole(layer, "graceMs", o.graceMs, [0]);
  if (o.workerName !== undefined && (typeof o.workerName !== "string" || o.workerName === ""))
    throw new ConfigurationError(`${layer}: workerName must be a non-empty string`);
  return queueOf(layer, o);
}
