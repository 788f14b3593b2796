/**
 * The public shapes of Best-of-N: its options (N, temperature, per-field strategies, combiner or judge)
 * and its result (combined value, per-field agreement, the samples kept and those that failed).
 */
import type { GenerateOptions } from "../../client/index.js";
import type { AttemptRecord, GenerateResult, LanguageModel, Usage } from "../../core/index.js";

/** vote: most frequent value; median: middle number (by default numbers are voted on when several samples agree exactly); union: array items kept by a majority; medoid: the most agreed-with value. */
export type FieldStrategy = "vote" | "median" | "union" | "medoid";

export interface FieldReport {
  /** The field, as `a.b` ("(root)" for a non-object answer). */
  path: string;
  strategy: FieldStrategy | "shape";
  /** Share of valid samples that agree with the combined value (medoid: mean token-set similarity), 0..1. */
  agreement: number;
  /** vote / union: each distinct value (array item for union) and how many samples gave it. */
  votes?: Array<{ value: unknown; count: number }>;
}

export interface BestOfNOptions<T> extends GenerateOptions<T> {
  /** How many samples (>= 1). */
  n: number;
  /** Sampling temperature of every sample (default 0.7: identical samples would make voting pointless). */
  temperature?: number;
  /** Sample i is sent with seed `seed + i` (default 1). */
  seed?: number;
  /**
   * Ask for all n choices in one request where the answering model supports `n` (OpenAI), topping up with
   * parallel calls for what it did not return. Default true; false always makes n parallel calls.
   */
  nativeN?: boolean;
  /** Re-asks per sample (default 0: a broken sample is dropped rather than repaired; N gives the redundancy). */
  reasks?: number;
  /** Override the strategy per field path, e.g. `{ "summary": "medoid", "tags": "union" }`. */
  fields?: Record<string, FieldStrategy>;
  /** Strings up to this many characters are voted on; longer ones use the medoid (default 40). */
  shortText?: number;
  /** Your own combiner: receives the valid samples (at least one), returns the answer (validated against the schema). */
  combine?: (samples: T[]) => T | Promise<T>;
  /** A judge model call that sees every valid sample and writes the final answer in the same schema. */
  judge?: { models?: readonly LanguageModel[]; instructions?: string };
}

export interface BestOfNSample<T> {
  index: number;
  seed: number;
  value: T;
  result: GenerateResult<T>;
}

export interface BestOfNFailure {
  index: number;
  seed: number;
  error: { kind: string; message: string };
  attempts: AttemptRecord[];
}

export interface BestOfNResult<T> {
  value: T;
  /** combined: field by field; medoid: the combination did not validate, so the most agreed-with sample; combiner / judge; fallback: no sample was valid. */
  source: "combined" | "medoid" | "combiner" | "judge" | "fallback";
  /** Mean of the per-field agreements (0 with no valid sample). */
  agreement: number;
  /** Field path -> agreement (0..1). */
  confidence: Record<string, number>;
  fields: FieldReport[];
  samples: BestOfNSample<T>[];
  failed: BestOfNFailure[];
  /** Every sample, failed ones included, plus the judge. */
  usage: Usage;
  costUsd: number | null;
  latencyMs: number;
  /** The judge call's result, when a judge was used. */
  judge?: GenerateResult<T>;
}
