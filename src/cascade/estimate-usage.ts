/**
 * Usage of an attempt that was sent but cut short (timeout, deadline, lost hedge, dropped connection):
 * the provider still bills the input it read and whatever it generated, so Ballast counts them locally.
 * Input is the request's text, output the text streamed so far; the record is marked `estimated`.
 * Counts are prompt/'s: the ~4 characters per token rule, or exact once a client with a budget has
 * loaded the tokenizer (`loadExactTokenCounts`) in the background at creation.
 */
import type { AttemptRecord, ModelRequest, PromptSection } from "../core/index.js";
import { countTokens, exactTokenCounts } from "../prompt/index.js";

/**
 * The prompt's tokens, counted once per call (every attempt sends the same sections): the attempts cut at
 * the deadline are sealed before the fallback is handed back, and the exact count of a large prompt takes
 * milliseconds (~10 ms for 170 KB), so counting it per attempt would make a hedged call's fallback late.
 */
const promptTokens = new WeakMap<readonly PromptSection[], { exact: boolean; tokens: number }>();

function countPrompt(sections: readonly PromptSection[]): number {
  const known = promptTokens.get(sections);
  if (known && known.exact === exactTokenCounts()) return known.tokens;
  let tokens = 0;
  for (const s of sections) tokens += countTokens(s.content);
  promptTokens.set(sections, { exact: exactTokenCounts(), tokens });
  return tokens;
}

/** What was sent and received of an attempt in flight, kept only while it runs (re-asks and streams). */
export interface SentSoFar {
  followUp?: ModelRequest["followUp"];
  /** Chunks streamed so far. */
  chunks?: readonly string[];
}

/**
 * Fills `record.usage` with local counts when the provider reported none: the prompt's sections and
 * follow-up turns as input, streamed chunks as output. Leaves a record with reported usage alone.
 */
export function estimateCutUsage(record: AttemptRecord, sections: readonly PromptSection[], sent: SentSoFar | undefined): void {
  const usage = record.usage;
  if (usage.inputTokens > 0 || usage.outputTokens > 0) return;
  let input = countPrompt(sections);
  for (const turn of sent?.followUp ?? []) input += countTokens(turn.content);
  usage.inputTokens = input;
  usage.outputTokens = sent?.chunks ? countTokens(sent.chunks.join("")) : 0;
  record.estimated = true;
}
