/**
 * `thinkThenFormat`: a strong model thinks in free text (no schema to distract it), then a cheap model with
 * the schema turns those thoughts into JSON through `generate` (cascade, recovery, fallback, tracing).
 * If the thinker fails, the formatter answers from the input alone and the thinker's errors are reported.
 */
import type { Ballast, GenerateOptions } from "../../client/index.js";
import type { GenerateResult, LanguageModel, Usage } from "../../core/index.js";
import { spendOf } from "../shared/totals.js";
import { type FreeTextResult, freeText } from "./free-text.js";

export interface ThinkerOptions {
  /** Tried in order until one answers. */
  models: readonly LanguageModel[];
  /** Default: the task's instructions plus "think it through in prose". */
  instructions?: string;
  /** Per-model timeout (ms, default 60,000). */
  timeoutMs?: number;
  temperature?: number;
  maxOutputTokens?: number;
}

export interface ThinkThenFormatOptions<T> extends GenerateOptions<T> {
  /** The free-text stage; `models`/`temperature`… of the outer options apply to the formatter. */
  thinker: ThinkerOptions;
}

export interface ThinkThenFormatResult<T> {
  value: T;
  source: GenerateResult<T>["source"];
  /** The thinker's text; null when every thinker model failed. */
  thoughts: string | null;
  thinker: FreeTextResult;
  formatter: GenerateResult<T>;
  /** Thinker plus formatter. */
  usage: Usage;
  costUsd: number | null;
  latencyMs: number;
}

const THINK =
  "Work through the task below in prose: the relevant facts in the input, the options, and your conclusion for each part of the answer. " +
  "Do not format it as JSON.";
const FORMAT =
  "Turn the analysis in the `analysis` section into the answer, following its conclusions. Use the input only to fill in what the analysis leaves out.";

/** @example const r = await thinkThenFormat(llm, { thinker: { models: [openai("o3")] }, models: [openai("gpt-4.1-nano")], schema, instructions, input }); */
export async function thinkThenFormat<T>(llm: Ballast, options: ThinkThenFormatOptions<T>): Promise<ThinkThenFormatResult<T>> {
  const { thinker, ...format } = options;
  const startedAt = Date.now();
  const thought = await freeText(llm, {
    name: `${format.name ?? "think-then-format"}:thinker`,
    models: thinker.models,
    instructions: thinker.instructions ?? [format.instructions, THINK].filter(Boolean).join("\n\n"),
    input: format.input,
    timeoutMs: thinker.timeoutMs ?? 60_000,
    ...(thinker.temperature !== undefined ? { temperature: thinker.temperature } : {}),
    ...(thinker.maxOutputTokens !== undefined ? { maxOutputTokens: thinker.maxOutputTokens } : {}),
    ...(format.signal ? { signal: format.signal } : {}),
    ...(format.headers ? { headers: format.headers } : {}),
  });
  const formatter = await llm.generate<T>({
    ...format,
    name: format.name ?? "think-then-format",
    ...(thought.text
      ? {
          instructions: [format.instructions, FORMAT].filter(Boolean).join("\n\n"),
          sections: [
            ...(format.sections ?? []),
            { name: "analysis", role: "user" as const, stable: false, content: `Analysis:\n${thought.text}` },
          ],
        }
      : {}),
  });
  return {
    value: formatter.value,
    source: formatter.source,
    thoughts: thought.text,
    thinker: thought,
    formatter,
    ...spendOf([formatter], [], [thought]),
    latencyMs: Date.now() - startedAt,
  };
}
