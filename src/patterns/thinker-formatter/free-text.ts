/**
 * The thinker's free-text stage through `llm.text`: the same cascade, deadlines, breakers and traces as
 * any call, with no schema. Summarised as the text, the model that wrote it, its spend and every failure.
 */
import type { Ballast } from "../../client/index.js";
import type { AttemptRecord, LanguageModel, Usage } from "../../core/index.js";
import { costOf, usageOf } from "../../cascade/index.js";
import { AllAttemptsFailedError, DeadlineExceededError } from "../../errors/index.js";

export interface FreeTextOptions {
  name: string;
  models: readonly LanguageModel[];
  instructions: string;
  input: unknown;
  /** Per-model timeout (ms). */
  timeoutMs: number;
  temperature?: number;
  maxOutputTokens?: number;
  signal?: AbortSignal;
  headers?: Record<string, string>;
}

export interface FreeTextResult {
  /** null when every model failed. */
  text: string | null;
  /** The model that answered, or null. */
  model: string | null;
  usage: Usage;
  costUsd: number | null;
  latencyMs: number;
  errors: Array<{ model: string; kind: string; message: string }>;
}

const errorsOf = (attempts: readonly AttemptRecord[]) =>
  attempts.flatMap((a) => (a.error ? [{ model: a.model, kind: a.error.kind, message: a.error.message }] : []));

export async function freeText(llm: Ballast, options: FreeTextOptions): Promise<FreeTextResult> {
  const startedAt = Date.now();
  try {
    const r = await llm.text({
      name: options.name,
      instructions: options.instructions,
      input: options.input,
      models: options.models,
      timeoutMs: options.timeoutMs,
      deadlineMs: options.timeoutMs * options.models.length,
      reasks: 0,
      ...(options.temperature !== undefined ? { temperature: options.temperature } : {}),
      ...(options.maxOutputTokens !== undefined ? { maxOutputTokens: options.maxOutputTokens } : {}),
      ...(options.signal ? { signal: options.signal } : {}),
      ...(options.headers ? { headers: options.headers } : {}),
    });
    return {
      text: r.value.trim(),
      model: r.model,
      usage: r.usage,
      costUsd: r.costUsd,
      latencyMs: Date.now() - startedAt,
      errors: errorsOf(r.attempts),
    };
  } catch (err) {
    if (!(err instanceof AllAttemptsFailedError || err instanceof DeadlineExceededError)) throw err;
    return {
      text: null,
      model: null,
      usage: usageOf(err.attempts),
      costUsd: costOf(err.attempts),
      latencyMs: Date.now() - startedAt,
      errors: errorsOf(err.attempts),
    };
  }
}
