// Shared pieces of the batch tests: a temp dir, rows, and a task over a simulator model.
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { z } from "zod";
import { createBallast } from "../../src/index.js";
import { openai, type OpenAIModelOptions } from "../../src/providers/openai/index.js";

export const Ticket = z.object({ label: z.enum(["bug", "feature", "question"]), priority: z.number().int().min(1).max(5) });
export const FALLBACK = { label: "question", priority: 3 } as const;
export const PRICE = { inputPerMTok: 2, outputPerMTok: 8 };

export const tempDir = (name: string) => mkdtempSync(join(tmpdir(), `ballast-batch-${name}-`));

export function rows(n: number, from = 0) {
  return Array.from({ length: n }, (_, i) => ({ id: from + i, input: `ticket-${from + i}: the app crashes when I click save` }));
}

export function ticketTask(url: string, model: string, options: { client?: OpenAIModelOptions["client"]; reasks?: number } = {}) {
  const llm = createBallast({
    models: [openai(model, { baseURL: `${url}/v1`, apiKey: "x", price: PRICE, ...(options.client ? { client: options.client } : {}) })],
    traces: false,
    breaker: false,
    reasks: options.reasks ?? 0,
    timeoutMs: 10_000,
    deadlineMs: 30_000,
    maxRetryWaitMs: 10_000,
  });
  return llm.task({
    name: "ticket-triage",
    schema: Ticket,
    instructions: "Classify the support ticket by label and priority.",
    fallback: { ...FALLBACK },
  });
}

/** The row id a recorded chat request was for ("ticket-<id>" in its last message), or null. */
export function rowOfRequest(body: unknown): number | null {
  const text = JSON.stringify(body ?? "");
  const m = /ticket-(\d+)\b/.exec(text);
  return m ? Number(m[1]) : null;
}
