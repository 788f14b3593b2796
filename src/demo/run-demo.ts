/**
 * The main job (`npm start`): classifies the bundled 200 reviews through a cascade across three providers
 * (Gemini -> OpenAI -> Anthropic -> a hardcoded fallback), and prints where answers came from, tokens, cost
 * and latency. Runs offline on the embedded simulator (with realistic faults), which speaks all three APIs;
 * with GEMINI_API_KEY, OPENAI_API_KEY and ANTHROPIC_API_KEY all set it runs on the real providers.
 */
import { readFileSync } from "node:fs";
import { createBallast, type GenerateResult } from "../index.js";
import { ConfigurationError } from "../errors/index.js";
import { openai } from "../providers/openai/index.js";
import { startSimulator } from "../simulator/index.js";
import { Review, reviewFallback, reviewInstructions } from "./review-schema.js";

interface LabelledReview {
  id: number;
  text: string;
  label: { sentiment: Review["sentiment"]; topics: string[] };
}

export interface DemoOptions {
  limit?: number;
  concurrency?: number;
  out?: (line: string) => void;
}

export interface DemoSummary {
  calls: number;
  bySource: Record<string, number>;
  accuracy: number;
  tokens: { input: number; output: number; cached: number };
  costUsd: number | null;
  p50: number;
  p95: number;
  p99: number;
  provider: "simulator" | "live";
}

export function demoSimulatorConfig(reviews: LabelledReview[]) {
  return {
    seed: 42,
    models: {
      "sim-gemini": {
        ttftMs: 40,
        tokensPerSecond: 900,
        accuracy: 0.9,
        faults: { http429: 0.04, http503: 0.04, malformed: 0.05, contentFilter: 0.02, hang: 0.02 },
      },
      "sim-openai": {
        ttftMs: 60,
        tokensPerSecond: 500,
        accuracy: 0.92,
        priceInputPerMTok: 2.5,
        priceCachedInputPerMTok: 1.25,
        priceOutputPerMTok: 10,
        faults: { malformed: 0.1, wrongShape: 0.05, http500: 0.04, http429: 0.03, hang: 0.02, slowTail: 0.05 },
      },
      "sim-anthropic": {
        ttftMs: 25,
        tokensPerSecond: 1200,
        accuracy: 0.85,
        priceInputPerMTok: 0.1,
        priceCachedInputPerMTok: 0.025,
        priceOutputPerMTok: 0.4,
        faults: { http503: 0.05, malformed: 0.05 },
      },
    },
    groundTruth: reviews.map((r) => ({ match: r.text, answer: r.label })),
  };
}

export async function runDemo(options: DemoOptions = {}): Promise<DemoSummary> {
  const out = options.out ?? ((line: string) => process.stdout.write(`${line}\n`));
  const all = JSON.parse(readFileSync(new URL("../../data/reviews.json", import.meta.url), "utf8")) as LabelledReview[];
  const reviews = all.slice(0, options.limit ?? all.length);
  // Loaded here, not at the top: every CLI command loads this module, and these SDKs are optional peers.
  const [{ google }, { anthropic }] = await Promise.all([
    import("../providers/google/index.js"),
    import("../providers/anthropic/index.js"),
  ]).catch((err: unknown) => {
    throw new ConfigurationError(`the demo's cascade needs the optional peers @google/genai and @anthropic-ai/sdk (${String(err)})`);
  });
  const env = process.env;
  const live = Boolean(env.GEMINI_API_KEY && env.OPENAI_API_KEY && env.ANTHROPIC_API_KEY);
  const sim = live ? null : await startSimulator(demoSimulatorConfig(reviews));
  // The same three adapters either way; offline, each speaks its own protocol to the simulator.
  const models = sim
    ? [
        google("sim-gemini", { baseURL: sim.url, price: { inputPerMTok: 0.3, cachedInputPerMTok: 0.03, outputPerMTok: 2.5 } }),
        openai("sim-openai", {
          api: "responses",
          baseURL: `${sim.url}/v1`,
          price: { inputPerMTok: 2.5, cachedInputPerMTok: 1.25, outputPerMTok: 10 },
        }),
        anthropic("sim-anthropic", { baseURL: sim.url, price: { inputPerMTok: 1, cachedInputPerMTok: 0.1, outputPerMTok: 5 } }),
      ]
    : [google("gemini-2.5-flash"), openai("gpt-5-mini"), anthropic("claude-haiku-4-5")];
  const names = models.map((m) => `${m.provider} ${m.modelId}`).join(" -> ");
  out(
    sim
      ? `Running ${reviews.length} reviews offline on the embedded simulator at ${sim.url}: ${names} -> hardcoded fallback\n(set GEMINI_API_KEY, OPENAI_API_KEY and ANTHROPIC_API_KEY to use the real providers)`
      : `Running ${reviews.length} reviews on ${names} -> hardcoded fallback`,
  );

  const llm = createBallast({ models, timeoutMs: sim ? 1_500 : 15_000, deadlineMs: sim ? 4_000 : 40_000 });
  const classify = llm.task({ name: "classify-review", schema: Review, instructions: reviewInstructions, fallback: reviewFallback });
  const results: Array<GenerateResult<Review>> = new Array(reviews.length);
  let nextIndex = 0;
  const worker = async () => {
    while (nextIndex < reviews.length) {
      const i = nextIndex++;
      results[i] = await classify(reviews[i]!.text);
    }
  };
  try {
    await Promise.all(Array.from({ length: options.concurrency ?? 16 }, worker));
  } finally {
    await sim?.close();
  }

  const bySource: Record<string, number> = { model: 0, repaired: 0, fallback: 0 };
  let correct = 0;
  let cost: number | null = 0;
  const tokens = { input: 0, output: 0, cached: 0 };
  results.forEach((r, i) => {
    bySource[r.source] = (bySource[r.source] ?? 0) + 1;
    if (r.value.sentiment === reviews[i]!.label.sentiment) correct++;
    tokens.input += r.usage.inputTokens;
    tokens.output += r.usage.outputTokens;
    tokens.cached += r.usage.cachedInputTokens;
    cost = cost === null || r.costUsd === null ? null : cost + r.costUsd;
  });
  const latencies = results.map((r) => r.latencyMs).sort((a, b) => a - b);
  const pct = (p: number) => latencies[Math.min(latencies.length - 1, Math.floor((p / 100) * latencies.length))] ?? 0;
  const attempts = results.reduce((n, r) => n + r.attempts.length, 0);
  const reasks = results.reduce((n, r) => n + r.attempts.filter((a) => a.kind === "reask").length, 0);
  const summary: DemoSummary = {
    calls: results.length,
    bySource,
    accuracy: correct / results.length,
    tokens,
    costUsd: cost,
    p50: pct(50),
    p95: pct(95),
    p99: pct(99),
    provider: sim ? "simulator" : "live",
  };
  const share = (n: number) => `${n} (${((100 * n) / results.length).toFixed(1)}%)`;
  out("");
  out(`answers           ${results.length}, every one schema-valid`);
  out(`  from a model    ${share(bySource.model ?? 0)}`);
  out(`  repaired JSON   ${share(bySource.repaired ?? 0)}`);
  out(`  fallback        ${share(bySource.fallback ?? 0)}`);
  out(`provider calls    ${attempts} (${reasks} re-asks with validation errors)`);
  const byModel = new Map<string, number>();
  for (const r of results) byModel.set(r.model, (byModel.get(r.model) ?? 0) + 1);
  out(`answered by       ${[...byModel].map(([m, n]) => `${m} ${n}`).join(", ")}`);
  out(`sentiment correct ${(100 * summary.accuracy).toFixed(1)}%`);
  out(`tokens            ${tokens.input} in (${tokens.cached} cached), ${tokens.output} out`);
  out(`cost              ${cost === null ? "unknown price" : `$${(cost as number).toFixed(4)}`}`);
  out(`latency           p50 ${summary.p50} ms, p95 ${summary.p95} ms, p99 ${summary.p99} ms`);
  return summary;
}
