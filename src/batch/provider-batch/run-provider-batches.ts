/**
 * Rows through the providers' Batch APIs (OpenAI Files + Batches, Anthropic Message Batches), at half price.
 * Each submitted batch is journaled before polling, so a rerun harvests it instead of paying twice. Each reply is
 * replayed through the task (`task.replay`): recovered, validated, priced at the discount and traced like any
 * call, with the batch and row ids. Rows a batch expired on go into a new batch; rows that errored or whose
 * reply did not fit the schema are handed back to be re-asked through the live cascade (a reply that did not
 * fit is then traced twice: its replayed call, ending as the task's failures do, and the live one).
 */
import { toFile } from "openai";
import type OpenAI from "openai";
import type Anthropic from "@anthropic-ai/sdk";
import { ConfigurationError } from "../../errors/index.js";
import type { PendingRow, RunState } from "../run-state.js";
import { resultLine } from "../result-line.js";
import type { BatchRowResult } from "../types.js";
import { BatchRows } from "./batch-rows.js";
import type { ProviderBatchOptions } from "./types.js";

/** How a submitted batch ended, row by row (by index in the submitted list). */
interface HarvestedReply {
  text: string;
  usage: import("../../core/index.js").Usage;
  model?: string;
}

interface Harvest {
  answered: Map<number, HarvestedReply>;
  expired: Set<number>;
}

const sleep = (ms: number, signal: AbortSignal) =>
  new Promise<void>((resolve) => {
    const t = setTimeout(resolve, ms);
    signal.addEventListener(
      "abort",
      () => {
        clearTimeout(t);
        resolve();
      },
      { once: true },
    );
  });

const MAX_ROUNDS = 4;

export async function runProviderBatches(
  state: RunState,
  rows: PendingRow[],
  options: ProviderBatchOptions,
  signal: AbortSignal,
): Promise<PendingRow[]> {
  const reader = new BatchRows(state.task);
  const provider = reader.model.provider;
  const client = provider === "openai" ? options.openai : provider === "anthropic" ? options.anthropic : undefined;
  if (!client)
    throw new ConfigurationError(
      `batch mode: no ${provider} client for the Batch API (pass providerBatch.${provider}, or set the provider's API key / base URL for the CLI)`,
    );
  const api = provider === "openai" ? openAIApi(client as OpenAI, options) : anthropicApi(client as Anthropic, options);
  const leftovers: PendingRow[] = [];
  const byKey = new Map(rows.map((r) => [r.key, r]));
  const run: SettleRun = { state, reader, api, options, signal, leftovers };

  // batches a killed run submitted: harvest them first (their rows are paid for)
  for (const pending of state.journal.pendingProviderBatches()) {
    const batchRows = pending.rows.map((key) => byKey.get(key)).filter((r): r is PendingRow => r !== undefined);
    const again = await settle(run, { id: pending.id, keys: pending.rows });
    for (const r of batchRows) byKey.delete(r.key);
    for (const r of again) byKey.set(r.key, r);
  }
  let queue = [...byKey.values()];
  const maxRows = options.maxRows ?? 50_000;
  for (let round = 0; queue.length > 0 && round < MAX_ROUNDS && !signal.aborted; round++) {
    const next: PendingRow[] = [];
    for (let start = 0; start < queue.length && !signal.aborted; start += maxRows) {
      const chunk = queue.slice(start, start + maxRows);
      const id = await api.submit(chunk.map((r, i) => ({ customId: `r${i}`, body: reader.body(r.input) })));
      state.journal.putProviderBatch({
        id,
        provider,
        model: reader.model.modelId,
        status: "submitted",
        rows: chunk.map((r) => r.key),
        createdAt: Date.now(),
      });
      state.emit({ type: "provider_batch", provider, batchId: id, status: "submitted", rows: chunk.length });
      for (const r of chunk) byKey.set(r.key, r);
      next.push(...(await settle(run, { id, keys: chunk.map((r) => r.key), byKey })));
    }
    queue = next;
  }
  return [...leftovers, ...queue];
}

/** What every batch of one provider run shares while it is settled. */
interface SettleRun {
  state: RunState;
  reader: BatchRows;
  api: ProviderApi;
  options: ProviderBatchOptions;
  signal: AbortSignal;
  /** Rows that errored or did not fit the schema: re-asked live afterwards. */
  leftovers: PendingRow[];
}

/** One submitted batch: its id, its rows' keys in request order, and the rows by key when they are at hand. */
interface SubmittedBatch {
  id: string;
  keys: string[];
  byKey?: Map<string, PendingRow>;
}

/**
 * Polls batch `id` until it ends, then finishes every row it answered validly; returns the rows it expired on
 * (to resubmit) and pushes rows that errored or did not fit the schema onto `leftovers` (to re-ask live).
 */
async function settle(run: SettleRun, batch: SubmittedBatch): Promise<PendingRow[]> {
  const { state, reader, api, options, signal, leftovers } = run;
  const { id, keys, byKey } = batch;
  let status = await api.status(id);
  while (!status.ended && !signal.aborted) {
    await sleep(options.pollMs ?? 30_000, signal);
    status = await api.status(id);
  }
  // Interrupted (even if the batch ended meanwhile): the journal keeps the batch for the next run to harvest.
  if (!status.ended || signal.aborted) return [];
  state.emit({ type: "provider_batch", provider: reader.model.provider, batchId: id, status: status.label, rows: keys.length });
  const harvest = await api.harvest(id, status);
  const expired: PendingRow[] = [];
  for (const [i, key] of keys.entries()) {
    const row = byKey?.get(key) ?? rowFromKey(key);
    if (harvest.expired.has(i)) {
      expired.push(row);
      continue;
    }
    const reply = harvest.answered.get(i);
    const result = reply ? await replay(state, reader, row, reply) : null;
    if (result) state.finish(row, result, false);
    else leftovers.push(row);
  }
  state.journal.putProviderBatch({
    id,
    provider: reader.model.provider,
    model: reader.model.modelId,
    status: "harvested",
    rows: keys,
    createdAt: Date.now(),
  });
  return expired;
}

/** A harvested reply as a finished row, or null when it did not fit the schema. */
async function replay(state: RunState, reader: BatchRows, row: PendingRow, reply: HarvestedReply): Promise<BatchRowResult | null> {
  if (row.input === undefined) return reader.read(row.id, reply.text, reply.usage, reply.model ?? reader.model.modelId);
  try {
    const r = await state.task.replay(
      row.input,
      {
        model: reader.model,
        text: reply.text,
        usage: reply.usage,
        ...(reader.price ? { price: reader.price } : {}),
        ...(reply.model ? { responseModel: reply.model } : {}),
      },
      { batch: { id: state.batchId, row: String(row.id) } },
    );
    return r.source === "fallback" ? null : resultLine(row.id, r, "batch");
  } catch {
    return null; // a task without a fallback rejects a reply that does not fit: re-asked live
  }
}

/** A row known only by its journal key (a batch submitted by an earlier run whose row is not in this input). */
function rowFromKey(key: string): PendingRow {
  return { key, id: JSON.parse(key) as string | number, input: undefined, hash: "", estimatedTokens: 0, estimatedCost: 0 };
}

interface BatchStatus {
  ended: boolean;
  label: string;
  outputFileId?: string | null;
  errorFileId?: string | null;
}

interface ProviderApi {
  submit(rows: Array<{ customId: string; body: Record<string, unknown> }>): Promise<string>;
  status(id: string): Promise<BatchStatus>;
  harvest(id: string, status: BatchStatus): Promise<Harvest>;
}

const indexOf = (customId: string) => Number(customId.slice(1));

function openAIApi(client: OpenAI, options: ProviderBatchOptions): ProviderApi {
  const timeout = options.requestTimeoutMs ?? 60_000;
  return {
    async submit(rows) {
      const jsonl = rows
        .map((r) => JSON.stringify({ custom_id: r.customId, method: "POST", url: "/v1/chat/completions", body: r.body }))
        .join("\n");
      const file = await client.files.create(
        { file: await toFile(Buffer.from(`${jsonl}\n`), "batch.jsonl"), purpose: "batch" },
        { timeout },
      );
      const batch = await client.batches.create(
        { input_file_id: file.id, endpoint: "/v1/chat/completions", completion_window: "24h" },
        { timeout },
      );
      return batch.id;
    },
    async status(id) {
      const b = await client.batches.retrieve(id, { timeout });
      const ended = ["completed", "expired", "failed", "cancelled"].includes(b.status);
      return { ended, label: b.status, outputFileId: b.output_file_id, errorFileId: b.error_file_id };
    },
    async harvest(_id, status) {
      const harvest: Harvest = { answered: new Map(), expired: new Set() };
      const lines = async (fileId: string | null | undefined) =>
        fileId ? (await (await client.files.content(fileId, { timeout })).text()).split("\n").filter((l) => l.trim() !== "") : [];
      for (const line of await lines(status.outputFileId)) {
        const r = JSON.parse(line) as { custom_id: string; response?: { status_code: number; body: unknown } | null };
        const reply = r.response && r.response.status_code < 400 ? BatchRows.openAIReply(r.response.body) : null;
        if (reply) harvest.answered.set(indexOf(r.custom_id), reply);
      }
      for (const line of await lines(status.errorFileId)) {
        const r = JSON.parse(line) as { custom_id: string; error?: { code?: string } | null };
        if (r.error?.code === "batch_expired") harvest.expired.add(indexOf(r.custom_id));
      }
      return harvest;
    },
  };
}

function anthropicApi(client: Anthropic, options: ProviderBatchOptions): ProviderApi {
  const timeout = options.requestTimeoutMs ?? 60_000;
  return {
    async submit(rows) {
      const batch = await client.messages.batches.create(
        { requests: rows.map((r) => ({ custom_id: r.customId, params: r.body as unknown as Anthropic.MessageCreateParamsNonStreaming })) },
        { timeout },
      );
      return batch.id;
    },
    async status(id) {
      const b = await client.messages.batches.retrieve(id, {}, { timeout });
      return { ended: b.processing_status === "ended", label: b.processing_status };
    },
    async harvest(id) {
      const harvest: Harvest = { answered: new Map(), expired: new Set() };
      for await (const r of await client.messages.batches.results(id, {}, { timeout })) {
        const i = indexOf(r.custom_id);
        if (r.result.type === "expired") harvest.expired.add(i);
        else if (r.result.type === "succeeded") {
          const reply = BatchRows.anthropicReply(r.result.message);
          if (reply) harvest.answered.set(i, reply);
        }
      }
      return harvest;
    },
  };
}
