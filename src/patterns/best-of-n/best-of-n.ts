/**
 * `bestOfN`: N samples of one task at a non-zero temperature (one request with the provider's `n` where
 * supported, parallel `generate` calls with distinct seeds otherwise; each through the cascade and validation), combined field by field, by your combiner, or by a
 * judge model; reports per-field agreement as confidence and the samples that failed.
 */
import type { Ballast } from "../../client/index.js";
import type { GenerateResult } from "../../core/index.js";
import { AllAttemptsFailedError, ConfigurationError, FallbackFailedError } from "../../errors/index.js";
import { validate } from "../../schema/index.js";
import { attemptsOf, describeError, spendOf } from "../shared/totals.js";
import { combineValues } from "./combine-fields.js";
import type { BestOfNFailure, BestOfNOptions, BestOfNResult, BestOfNSample, FieldReport } from "./types.js";

const JUDGE_INSTRUCTIONS =
  "Several candidate answers to the same task follow. Write the single best answer: prefer what most candidates agree on, " +
  "fix what any candidate got wrong, and follow the task's instructions.";

/** @example const r = await bestOfN(llm, { n: 5, schema: Ticket, instructions, input }); r.value; r.confidence.priority; */
export async function bestOfN<T>(llm: Ballast, options: BestOfNOptions<T>): Promise<BestOfNResult<T>> {
  const { n, seed = 1, fields = {}, shortText = 40, combine, judge, fallback, nativeN, ...call } = options;
  if (!(Number.isInteger(n) && n >= 1)) throw new ConfigurationError(`bestOfN: n must be a whole number >= 1, got ${String(n)}`);
  const startedAt = Date.now();
  const name = call.name ?? "best-of-n";
  const temperature = call.temperature ?? 0.7;
  const reasks = call.reasks ?? 0;

  const samples: BestOfNSample<T>[] = [];
  const failed: BestOfNFailure[] = [];
  // First, one request for all n choices where the answering model supports `n` (one prompt, billed once);
  // whatever it did not cover is sampled by parallel calls with distinct seeds.
  const settled: PromiseSettledResult<GenerateResult<T>>[] = [];
  if (n > 1 && nativeN !== false) {
    const [native] = await Promise.allSettled([llm.generate<T>({ ...call, name, temperature, reasks, seed, n })]);
    settled.push(native!);
    if (native!.status === "fulfilled") {
      const r = native!.value;
      for (const [i, value] of (r.samples ?? [r.value]).entries()) samples.push({ index: i, seed, value, result: r });
      for (let i = 0; i < (r.invalidSamples ?? 0); i++) {
        failed.push({
          index: samples.length + i,
          seed,
          error: { kind: "invalid_output", message: "a choice did not fit the schema" },
          attempts: [],
        });
      }
    } else failed.push({ index: 0, seed, error: describeError(native!.reason), attempts: attemptsOf(native!.reason) });
  }
  const done = samples.length + failed.length;
  const rest = await Promise.allSettled(
    Array.from({ length: n - done }, (_, i) => llm.generate<T>({ ...call, name, temperature, reasks, seed: seed + done + i })),
  );
  settled.push(...rest);
  rest.forEach((s, i) => {
    const index = done + i;
    if (s.status === "fulfilled") samples.push({ index, seed: seed + index, value: s.value.value, result: s.value });
    else failed.push({ index, seed: seed + index, error: describeError(s.reason), attempts: attemptsOf(s.reason) });
  });
  const caller = settled.find((s) => s.status === "rejected" && (s.reason as { kind?: string })?.kind === "configuration");
  if (caller && caller.status === "rejected") throw caller.reason; // a mistake in the call, not a bad sample

  const failedAttempts = failed.flatMap((f) => f.attempts);
  const finish = (value: T, source: BestOfNResult<T>["source"], report: FieldReport[], judged?: GenerateResult<T>): BestOfNResult<T> => {
    const confidence = Object.fromEntries(report.map((f) => [f.path, f.agreement]));
    const agreement = report.length ? report.reduce((s, f) => s + f.agreement, 0) / report.length : 0;
    // Choices of one native-n request share its result: count each request once.
    const spend = spendOf([...new Set(samples.map((s) => s.result)), ...(judged ? [judged] : [])], failedAttempts);
    return {
      value,
      source,
      agreement,
      confidence,
      fields: report,
      samples,
      failed,
      ...spend,
      latencyMs: Date.now() - startedAt,
      ...(judged ? { judge: judged } : {}),
    };
  };

  if (samples.length === 0) {
    if (fallback === undefined) {
      const first = settled[0];
      if (call.signal?.aborted && first?.status === "rejected") throw first.reason; // the caller's abort, as generate reports it
      throw new AllAttemptsFailedError(failedAttempts);
    }
    const errors = failedAttempts.flatMap((a) => (a.error ? [a.error] : []));
    const value =
      typeof fallback === "function"
        ? await (fallback as (input: unknown, e: typeof errors) => T | Promise<T>)(call.input, errors)
        : fallback;
    return finish(await checked(call.schema, value, `${name}: the fallback`), "fallback", []);
  }

  const values = samples.map((s) => s.value);
  const combined = combineValues(values, { fields, shortText });
  if (combine) return finish(await checked(call.schema, await combine(values), `${name}: the combiner`), "combiner", combined.fields);
  if (judge) {
    const judged = await llm.generate<T>({
      ...call,
      name: `${name}:judge`,
      temperature: 0,
      reasks: call.reasks ?? 1,
      ...(judge.models ? { models: judge.models } : {}),
      instructions: judge.instructions ?? JUDGE_INSTRUCTIONS,
      input: { task: call.instructions ?? "", input: call.input, candidates: values },
      ...(fallback !== undefined ? { fallback } : {}),
    });
    return finish(judged.value, "judge", combined.fields, judged);
  }
  const valid = await validate(call.schema, combined.value);
  if (valid.ok) return finish(valid.value, "combined", combined.fields);
  // Field-wise choices can break cross-field constraints: fall back to the sample closest to the consensus.
  const closest = closestSample(values, combined.value);
  return finish(values[closest]!, "medoid", combined.fields);
}

async function checked<T>(schema: BestOfNOptions<T>["schema"], value: unknown, what: string): Promise<T> {
  const v = await validate(schema, value);
  if (v.ok) return v.value;
  const fields = v.issues.map((i) => `${i.path.join(".") || "(root)"}: ${i.message}`).join("; ");
  throw new FallbackFailedError(`${what} returned a value that does not fit the schema (${fields})`, v.issues);
}

/** The sample sharing the most leaf values with the combined answer. */
function closestSample(values: readonly unknown[], target: unknown): number {
  const leaves = (v: unknown, path = "", out = new Map<string, string>()) => {
    if (v !== null && typeof v === "object" && !Array.isArray(v)) for (const [k, c] of Object.entries(v)) leaves(c, `${path}.${k}`, out);
    else out.set(path, JSON.stringify(v));
    return out;
  };
  const want = leaves(target);
  let best = 0;
  let bestScore = -1;
  values.forEach((v, i) => {
    let score = 0;
    for (const [p, x] of leaves(v)) if (want.get(p) === x) score++;
    if (score > bestScore) [best, bestScore] = [i, score];
  });
  return best;
}
