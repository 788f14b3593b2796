/**
 * The prompt-cache workload shared by the tests and `bench/cache`: a task with a ~2,000-token stable
 * instruction block, run over many different inputs, optionally with a timestamp interpolated into it.
 */
import { countTokens } from "gpt-tokenizer/encoding/o200k_base";
import { z } from "zod";
import { type BallastEvent, type GenerateResult, type LanguageModel, createBallast } from "ballast";

export const Review = z.object({
  label: z.enum(["positive", "negative", "mixed"]).describe("overall sentiment"),
  aspects: z.array(z.string()).describe("aspects the review mentions"),
});

const topics = ["battery", "screen", "camera", "speaker", "keyboard", "hinge", "charger", "fan", "port", "case"];
const weights = ["strong", "weak", "moderate", "decisive", "minor"];

/** About 2,000 o200k tokens of instructions (64 numbered rules), identical on every call. */
export const INSTRUCTIONS = [
  "You classify product reviews for a consumer electronics retailer. Read the review and return its overall",
  "label and the aspects it mentions. Apply the following rules in order; later rules refine earlier ones.",
  "",
  ...Array.from({ length: 64 }, (_, i) => {
    const topic = topics[i % topics.length];
    const weight = weights[(i * 7) % weights.length];
    return `Rule ${i + 1}: when the review discusses the ${topic} in context ${Math.floor(i / 10) + 1}, treat it as ${weight} evidence and list "${topic}" as an aspect.`;
  }),
].join("\n");

/** The busted layout: the same instructions behind a per-call timestamp (a classic cache-buster). */
export const bustedInstructions = (ts: number) => `Current time: ${new Date(ts).toISOString()}\n\n${INSTRUCTIONS}`;

export const inputOf = (i: number) =>
  `Review #${i}: the ${topics[i % topics.length]} is ${i % 3 === 0 ? "great" : "disappointing"}, order ${i * 7919}.`;

export interface WorkloadRun {
  results: Array<GenerateResult<z.infer<typeof Review>>>;
  events: BallastEvent[];
}

/** Runs `calls` calls of one task at `concurrency`; `busted` puts a fresh timestamp in the system prompt. */
export async function runWorkload(
  model: LanguageModel,
  options: { calls: number; concurrency: number; busted: boolean; task?: string },
): Promise<WorkloadRun> {
  const events: BallastEvent[] = [];
  const llm = createBallast({ models: [model], traces: false, onEvent: (e) => events.push(e), reasks: 0 });
  const name = options.task ?? "classify-review";
  const stable = llm.task({ name, schema: Review, instructions: INSTRUCTIONS });
  const results: WorkloadRun["results"] = new Array(options.calls);
  let next = 0;
  const t0 = Date.UTC(2026, 0, 1);
  const worker = async () => {
    while (next < options.calls) {
      const i = next++;
      results[i] = options.busted
        ? await llm.generate({ name, schema: Review, instructions: bustedInstructions(t0 + i * 1000), input: inputOf(i) })
        : await stable(inputOf(i));
    }
  };
  await Promise.all(Array.from({ length: options.concurrency }, worker));
  llm.close();
  return { results, events };
}

/**
 * Tokens of the stable prefix (schema, system prompt) as the provider counted them: the call's input tokens
 * minus its volatile user turn (o200k, as the simulator counts; OpenAI adds 3 per message and 3 of priming).
 */
export function prefixTokensOf(result: WorkloadRun["results"][number], provider: "openai" | "anthropic", input: string): number {
  return result.usage.inputTokens - countTokens(input) - (provider === "openai" ? 6 : 0);
}

/** Cached share of the stable prefix over every call but the first, capped at 1. */
export function cachedShare(run: WorkloadRun, provider: "openai" | "anthropic"): number {
  let cached = 0;
  let prefix = 0;
  run.results.forEach((r, i) => {
    if (i === 0) return;
    cached += r.usage.cachedInputTokens;
    prefix += prefixTokensOf(r, provider, inputOf(i));
  });
  return Math.min(1, cached / prefix);
}
