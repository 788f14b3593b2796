/**
 * `writerCritic`: a writer produces the structured answer, a critic (another model or the same) returns
 * `{ issues, score, acceptable }`; the writer revises until accepted or `maxRounds`, and the best version
 * (accepted first, then highest score, then latest) is returned with the whole critique history.
 */
import type { Ballast, GenerateOptions } from "../../client/index.js";
import type { AttemptRecord, GenerateResult, LanguageModel, Usage } from "../../core/index.js";
import { ConfigurationError } from "../../errors/index.js";
import { attemptsOf, describeError, spendOf } from "../shared/totals.js";
import { CRITIC_INSTRUCTIONS, Critique, REVISE_INSTRUCTIONS } from "./critique-schema.js";

export interface WriterCriticOptions<T> extends GenerateOptions<T> {
  /** Writing rounds, the first draft included (default 3). */
  maxRounds?: number;
  /** The critic: its models (default: the writer's), instructions, and extra rubric text. */
  critic?: { models?: readonly LanguageModel[]; instructions?: string; temperature?: number };
}

export interface Round<T> {
  round: number;
  draft: T;
  /** null when the critic call failed (see `criticError`). */
  critique: Critique | null;
  criticError?: { kind: string; message: string };
  draftResult: GenerateResult<T>;
  critiqueResult?: GenerateResult<Critique>;
}

export interface WriterCriticResult<T> {
  /** The best version: an accepted one if any, else the highest-scored (latest on ties). */
  value: T;
  accepted: boolean;
  /** The round the value comes from (1-based). */
  bestRound: number;
  rounds: Round<T>[];
  /** How the loop ended. */
  stop: "accepted" | "max_rounds" | "critic_failed" | "writer_failed";
  /** Why a revision failed, when stop is "writer_failed". */
  writerError?: { kind: string; message: string };
  usage: Usage;
  costUsd: number | null;
  latencyMs: number;
}

/**
 * Bound the whole loop with `signal: AbortSignal.timeout(ms)`: only the first draft can then reject; a round
 * cut short ends the loop with the best version so far (stop "critic_failed" / "writer_failed").
 * @example const r = await writerCritic(llm, { schema: Summary, instructions, input, critic: { models: [judgeModel] }, maxRounds: 3 });
 */
export async function writerCritic<T>(llm: Ballast, options: WriterCriticOptions<T>): Promise<WriterCriticResult<T>> {
  const { maxRounds = 3, critic = {}, ...write } = options;
  if (!(Number.isInteger(maxRounds) && maxRounds >= 1))
    throw new ConfigurationError(`writerCritic: maxRounds must be a whole number >= 1, got ${String(maxRounds)}`);
  const startedAt = Date.now();
  const name = write.name ?? "writer-critic";
  const rounds: Round<T>[] = [];
  const failedAttempts: AttemptRecord[] = [];
  let stop: WriterCriticResult<T>["stop"] = "max_rounds";
  let writerError: WriterCriticResult<T>["writerError"];

  // The first draft: its failure is the caller's (fallback or typed error), as with a plain generate.
  let draft = await llm.generate<T>({ ...write, name: `${name}:write` });
  for (let round = 1; ; round++) {
    const entry: Round<T> = { round, draft: draft.value, critique: null, draftResult: draft };
    rounds.push(entry);
    if (draft.source === "fallback") {
      stop = "writer_failed"; // nothing to criticise: the hardcoded answer is final
      break;
    }
    try {
      const review = await llm.generate<Critique>({
        ...pick(write),
        name: `${name}:critique`,
        schema: Critique,
        instructions: critic.instructions ?? CRITIC_INSTRUCTIONS,
        input: { task: write.instructions ?? "", input: write.input, draft: draft.value },
        temperature: critic.temperature ?? 0,
        ...(critic.models ? { models: critic.models } : {}),
      });
      entry.critique = review.value;
      entry.critiqueResult = review;
    } catch (error) {
      entry.criticError = describeError(error);
      failedAttempts.push(...attemptsOf(error));
      stop = "critic_failed";
      break;
    }
    if (entry.critique.acceptable) {
      stop = "accepted";
      break;
    }
    if (round >= maxRounds) break;
    try {
      draft = await llm.generate<T>({
        ...write,
        name: `${name}:revise`,
        instructions: [write.instructions, REVISE_INSTRUCTIONS].filter(Boolean).join("\n\n"),
        input: { input: write.input, previous_draft: draft.value, review: entry.critique.issues },
        fallback: undefined, // a failed revision keeps the drafts we have rather than the hardcoded answer
      });
    } catch (error) {
      writerError = describeError(error);
      failedAttempts.push(...attemptsOf(error));
      stop = "writer_failed";
      break;
    }
  }

  const best = bestRound(rounds);
  const results = rounds.flatMap((r) => [r.draftResult as GenerateResult<unknown>, ...(r.critiqueResult ? [r.critiqueResult] : [])]);
  return {
    value: best.draft,
    accepted: best.critique?.acceptable === true,
    bestRound: best.round,
    rounds,
    stop,
    ...(writerError ? { writerError } : {}),
    ...spendOf(results, failedAttempts),
    latencyMs: Date.now() - startedAt,
  };
}

/** Accepted beats not accepted, then a higher score, then the later round. Unreviewed drafts rank last. */
function bestRound<T>(rounds: Round<T>[]): Round<T> {
  const rank = (r: Round<T>) => (r.critique ? (r.critique.acceptable ? 100 : 0) + r.critique.score : -1);
  return rounds.reduce((best, r) => (rank(r) >= rank(best) ? r : best));
}

/** The per-call settings the critic shares with the writer (deadlines, headers, signal…), not its schema or prompt. */
function pick<T>(o: GenerateOptions<T>): Partial<GenerateOptions<Critique>> {
  const { schema: _s, instructions: _i, examples: _e, sections: _x, fallback: _f, input: _in, name: _n, ...rest } = o;
  return rest;
}
