/** Options and records shared by the provider Batch API runners (OpenAI Batch, Anthropic Message Batches). */
import type OpenAI from "openai";
import type Anthropic from "@anthropic-ai/sdk";

export interface ProviderBatchOptions {
  /** The OpenAI SDK client the Files and Batches calls go through (its own baseURL and key). */
  openai?: OpenAI;
  /** The Anthropic SDK client for Message Batches. */
  anthropic?: Anthropic;
  /** Rows per provider batch. @default 50_000 (OpenAI's limit; Anthropic allows 100_000) */
  maxRows?: number;
  /** How often a batch's status is polled. @default 30_000 */
  pollMs?: number;
  /** Mode "auto" uses the Batch API only when the run may take this long. @default 86_400_000 (24 h) */
  deadlineMs?: number;
  /** Each status call's own deadline. @default 60_000 */
  requestTimeoutMs?: number;
}

/** The price factor of a Batch API request (both providers: 50% off). */
export const BATCH_DISCOUNT = 0.5;
