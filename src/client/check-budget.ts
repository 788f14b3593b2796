/**
 * The budget guard's pre-call verdict: may this call spend, or does it fall back at once? A call admitted
 * reserves its worst-case cost (see `worstCaseUsd`) until it ends.
 */
import { BudgetExceededError } from "../errors/index.js";
import { type Budget, cataloguePrice, priceCost } from "../observe/index.js";
import type { LanguageModel, Price, PromptSection } from "../core/index.js";
import { estimateTokens } from "../prompt/index.js";

const NOTHING_HELD = () => {};

/** The verdict before any provider is called: `error` when the call may not go ahead; else `release` its reservation when it ends. */
export function checkBudget(budget: Budget | null, worstUsd = 0): { error: BudgetExceededError | null; release: () => void } {
  if (!budget) return { error: null, release: NOTHING_HELD };
  try {
    return { error: null, release: budget.admit(worstUsd) };
  } catch (err) {
    if (err instanceof BudgetExceededError) return { error: err, release: NOTHING_HELD };
    throw err;
  }
}

/** What one call could cost at most: the shape of its cascade and prompt, priced per model. */
export interface WorstCase {
  models: readonly LanguageModel[];
  sections: readonly PromptSection[];
  /** The wire schema's text, sent with every request. */
  schemaText: string;
  /** Attempts a rung may make: the first, its re-asks and its transient retries. */
  attemptsPerRung: number;
  maxOutputTokens: number | undefined;
  /** Choices per request. */
  n: number;
  /** Extra runs of a rung a hedged call may start (`hedge.repeats`), each priced at the dearest model. */
  repeats: number;
}

/**
 * The most a call may spend: every rung making every attempt it may, each reading the whole prompt plus a
 * re-ask's worth (the previous reply) and writing the output cap, and each hedge repeat as a run of the dearest rung. Models of unknown price count at the
 * budget's `assumePrice`, or nothing. `priceOf` caches catalogue look-ups per model.
 */
export function worstCaseUsd(budget: Budget, call: WorstCase, priceOf: (model: LanguageModel) => Price | null): number {
  let input = estimateTokens(call.schemaText);
  for (const s of call.sections) input += estimateTokens(s.content);
  input = Math.ceil(input * 1.25); // the 4-characters rule undercounts dense text: a margin keeps it a bound
  const output = (call.maxOutputTokens ?? budget.assumeMaxOutputTokens) * call.n;
  const usage = { inputTokens: input + output, outputTokens: output, cachedInputTokens: 0, cacheWriteTokens: 0, reasoningTokens: 0 };
  let usd = 0;
  let dearest = 0;
  for (const model of call.models) {
    const price = priceOf(model) ?? budget.assumePrice;
    const rung = price ? call.attemptsPerRung * priceCost(usage, price) : 0;
    usd += rung;
    dearest = Math.max(dearest, rung);
  }
  return usd + call.repeats * dearest;
}

/** A model's price: its own, else the catalogue's flat rate; null when unknown. */
export function knownPrice(model: LanguageModel): Price | null {
  return model.price ?? cataloguePrice(model.provider, model.modelId);
}
