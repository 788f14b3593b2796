/**
 * Runs rows through the providers' Batch APIs (OpenAI Batch, Anthropic Message Batches): placeholder until the
 * runners land; every row goes back to the live cascade.
 */
import type { PendingRow, RunState } from "../run-batch.js";
import type { ProviderBatchOptions } from "./types.js";

export async function runProviderBatches(
  _state: RunState,
  rows: PendingRow[],
  _options: ProviderBatchOptions,
  _signal: AbortSignal,
): Promise<PendingRow[]> {
  return rows;
}
