/**
 * `scored`: a broken-down score — per criterion a short reason then a bounded sub-score, each described by
 * its rubric — and `total()` computing the weighted total in code (the model never adds up).
 */
import { z } from "zod";
import { ConfigurationError } from "../../errors/index.js";

export interface ScoredOptions<C extends string> {
  /** Criterion name -> rubric: what each end (and ideally each step) of the scale means. */
  criteria: Record<C, string>;
  /** Inclusive [low, high], e.g. [0, 5]. */
  scale: readonly [number, number];
  /** Relative weights (default 1 each). */
  weights?: Partial<Record<C, number>>;
  /** Whole-number sub-scores (default: when both ends of the scale are whole). */
  integer?: boolean;
}

type CriterionShape = z.ZodObject<{ reason: z.ZodString; score: z.ZodNumber }>;
export type ScoredValue<C extends string> = { [K in C]: { reason: string; score: number } };

export interface ScoreTotal<C extends string> {
  /** Weighted mean of the sub-scores, on the scale. */
  total: number;
  /** `total` mapped to [0, 1]. */
  normalized: number;
  breakdown: { [K in C]: { score: number; weight: number; reason: string } };
}

export interface Scored<C extends string> {
  /** Embed it (`z.object({ scores: rubric.schema })`) or use it as a task's schema. */
  schema: z.ZodObject<{ [K in C]: CriterionShape }>;
  criteria: Record<C, string>;
  scale: readonly [number, number];
  weights: Record<C, number>;
  /** The weighted total of a value the model returned. */
  total(value: ScoredValue<C>): ScoreTotal<C>;
}

/** @example const rubric = scored({ criteria: { clarity: "0 = unreadable … 5 = crisp", accuracy: "…" }, scale: [0, 5] }); rubric.total(r.value) */
export function scored<C extends string>(options: ScoredOptions<C>): Scored<C> {
  const [low, high] = options.scale;
  if (!(Number.isFinite(low) && Number.isFinite(high) && low < high))
    throw new ConfigurationError(`scored: scale must be [low, high] with low < high, got [${low}, ${high}]`);
  const names = Object.keys(options.criteria) as C[];
  if (names.length === 0) throw new ConfigurationError("scored: give at least one criterion");
  const integer = options.integer ?? (Number.isInteger(low) && Number.isInteger(high));
  const weights = {} as Record<C, number>;
  for (const name of names) {
    const w = options.weights?.[name] ?? 1;
    if (!(w >= 0 && Number.isFinite(w))) throw new ConfigurationError(`scored: weight of "${name}" must be a number >= 0`);
    weights[name] = w;
  }
  const weightSum = names.reduce((s, n) => s + weights[n], 0);
  if (weightSum <= 0) throw new ConfigurationError("scored: at least one weight must be above 0");
  const shape = {} as Record<C, CriterionShape>;
  for (const name of names) {
    const base = integer ? z.number().int() : z.number();
    shape[name] = z
      .object({
        reason: z.string().describe(`One or two sentences: the evidence for the ${name} score, written before the score.`),
        score: base.min(low).max(high).describe(`${name}, from ${low} to ${high}. Rubric: ${options.criteria[name]}`),
      })
      .describe(`Criterion "${name}": ${options.criteria[name]}`);
  }
  const schema = z
    .object(shape)
    .describe(`Score each criterion separately on ${low}–${high}. Do not compute a total: it is computed from these.`);
  return {
    schema: schema as Scored<C>["schema"],
    criteria: options.criteria,
    scale: options.scale,
    weights,
    total(value) {
      let sum = 0;
      const breakdown = {} as ScoreTotal<C>["breakdown"];
      for (const name of names) {
        const entry = value[name];
        if (!entry || typeof entry.score !== "number") throw new ConfigurationError(`scored.total: the value has no score for "${name}"`);
        sum += entry.score * weights[name];
        breakdown[name] = { score: entry.score, weight: weights[name], reason: entry.reason };
      }
      const total = sum / weightSum;
      return { total, normalized: (total - low) / (high - low), breakdown };
    },
  };
}
