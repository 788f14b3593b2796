// Prompt-cache bench: the same 1,000-call workload (a ~2,000-token stable prefix, different inputs)
// in two layouts, stable and busted (a timestamp in the system prompt), on both providers against the
// simulator's provider-faithful caching; prints the dollar cost side by side and ends with a RESULT line.
// Usage: npm run bench -- cache [calls per run, default 1000]
import { anthropic } from "ballast/anthropic";
import { openai } from "ballast/openai";
import { startSimulator } from "ballast/testing";
import type { Price } from "ballast";
import { pct, table } from "../../src/observe/format-table.js";
import { cachedShare, runWorkload, type WorkloadRun } from "../../test/prompt/workload.js";

const CALLS = Number(process.argv[2] ?? 1000);
const CONCURRENCY = 20;

/** List prices per million tokens (late 2025): a GPT-4.1-class model and a Sonnet-class model (cache writes at 1.25x). */
const PRICES: Record<"openai" | "anthropic", { name: string; price: Price }> = {
  openai: { name: "gpt-4.1-sim", price: { inputPerMTok: 2, cachedInputPerMTok: 0.5, outputPerMTok: 8 } },
  anthropic: { name: "claude-sonnet-sim", price: { inputPerMTok: 3, cachedInputPerMTok: 0.3, cacheWritePerMTok: 3.75, outputPerMTok: 15 } },
};

const sim = await startSimulator({
  seed: 7,
  models: Object.fromEntries(
    Object.values(PRICES).map(({ name, price }) => [
      name,
      { priceInputPerMTok: price.inputPerMTok, priceCachedInputPerMTok: price.cachedInputPerMTok, priceOutputPerMTok: price.outputPerMTok },
    ]),
  ),
});

const modelFor = (provider: "openai" | "anthropic") => {
  const { name, price } = PRICES[provider];
  return provider === "openai"
    ? openai(name, { baseURL: `${sim.url}/v1`, apiKey: "bench", price })
    : anthropic(name, { baseURL: sim.url, apiKey: "bench", price });
};

const usdOf = (run: WorkloadRun) => run.results.reduce((s, r) => s + (r.costUsd ?? Number.NaN), 0);
const tokensOf = (run: WorkloadRun) => run.results.reduce((s, r) => s + r.usage.inputTokens, 0);

interface Row {
  provider: "openai" | "anthropic";
  stable: WorkloadRun;
  busted: WorkloadRun;
  stableMs: number;
  bustedMs: number;
}

const rows: Row[] = [];
try {
  for (const provider of ["openai", "anthropic"] as const) {
    let t = performance.now();
    const stable = await runWorkload(modelFor(provider), {
      calls: CALLS,
      concurrency: CONCURRENCY,
      busted: false,
      task: `bench-stable-${provider}`,
    });
    const stableMs = performance.now() - t;
    t = performance.now();
    const busted = await runWorkload(modelFor(provider), {
      calls: CALLS,
      concurrency: CONCURRENCY,
      busted: true,
      task: `bench-busted-${provider}`,
    });
    rows.push({ provider, stable, busted, stableMs, bustedMs: performance.now() - t });
  }
} finally {
  await sim.close();
}

const money = (v: number) => `$${v.toFixed(4)}`;
const flaggedShare = (run: WorkloadRun) =>
  run.events.filter((e) => e.type === "cache_buster" && e.section === "instructions").length / Math.max(1, run.results.length - 1);
const meanCached = (run: WorkloadRun) =>
  run.results.slice(1).reduce((s, r) => s + r.usage.cachedInputTokens, 0) / Math.max(1, run.results.length - 1);
const lostPerCall = (run: WorkloadRun) => {
  const busters = run.events.filter((e) => e.type === "cache_buster");
  return busters.length ? Math.round(busters.reduce((s, e) => s + e.tokensLost, 0) / busters.length) : 0;
};

console.log(`Prompt cache: ${CALLS} calls per run, ~2,000-token stable prefix, concurrency ${CONCURRENCY}, zero-latency simulator\n`);
console.log(
  table(
    [
      "provider",
      "model",
      "stable $",
      "busted $",
      "busted / stable",
      "cached (stable)",
      "cached (busted)",
      "input tokens",
      "busters flagged",
      "tokens lost/call (est.)",
      "(measured)",
    ],
    rows.map((r) => [
      r.provider,
      PRICES[r.provider].name,
      money(usdOf(r.stable)),
      money(usdOf(r.busted)),
      `${(usdOf(r.busted) / usdOf(r.stable)).toFixed(2)}x`,
      pct(cachedShare(r.stable, r.provider)),
      pct(cachedShare(r.busted, r.provider)),
      tokensOf(r.stable),
      pct(flaggedShare(r.busted)),
      lostPerCall(r.busted),
      Math.round(meanCached(r.stable) - meanCached(r.busted)),
    ]),
  ),
);
const usdStable = rows.reduce((s, r) => s + usdOf(r.stable), 0);
const usdBusted = rows.reduce((s, r) => s + usdOf(r.busted), 0);
console.log(
  `\nboth providers: stable layout ${money(usdStable)}, busted layout ${money(usdBusted)} (${(usdBusted / usdStable).toFixed(2)}x); cached share = cached tokens / stable-prefix tokens over calls 2..${CALLS}`,
);
console.log(`wall time: ${rows.map((r) => `${r.provider} ${Math.round(r.stableMs)} + ${Math.round(r.bustedMs)} ms`).join(", ")}`);

const byProvider = (p: "openai" | "anthropic") => rows.find((r) => r.provider === p)!;
const round = (v: number, digits: number) => Number(v.toFixed(digits));
const result = {
  cached_share_openai: round(cachedShare(byProvider("openai").stable, "openai"), 4),
  cached_share_anthropic: round(cachedShare(byProvider("anthropic").stable, "anthropic"), 4),
  buster_flagged: rows.every((r) => flaggedShare(r.busted) >= 0.9),
  usd_stable: round(usdStable, 6),
  usd_busted: round(usdBusted, 6),
};
console.log(`RESULT cache ${JSON.stringify(result)}`);
