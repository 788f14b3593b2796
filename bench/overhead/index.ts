import { mkdtempSync, rmSync } from "node:fs";
import { cpus, tmpdir } from "node:os";
import { join } from "node:path";
import OpenAI from "openai";
import { buildThenPin, startSimulatorProcess } from "../shared/pinned-simulator.js";
import type { LanguageModel } from "../../src/core/language-model.js";

// Blocks of 100 calls (~60 ms of CPU): long enough to hold several young-generation collections each (a
// 1-5 ms scavenge landing in a block of 20 calls swung that block's figure by +-40%), short enough that
// adjacent blocks see the same machine load. 150 rounds x 100 calls = 15,000 measured calls per variant:
// on this shared 2-core machine the median of 60 rounds still moved by +-0.05 from run to run.
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 150);
const BLOCK = Number(process.env.BENCH_BLOCK ?? 100);
const WARMUP = Number(process.env.BENCH_WARMUP ?? 400);
const MODEL = "gpt-4o-mini";
const API_KEY = "sk-bench-not-a-real-key";

/**
 * With two or more cores and `taskset`, the bench re-runs itself pinned to core 1 and the simulator runs on
 * core 0: the client never migrates between cores mid-block and never shares one with the simulator.
 */
const pinned = buildThenPin("BALLAST_BENCH_OVERHEAD_PINNED");

const dist = (path: string) => new URL(`../../dist/${path}`, import.meta.url).href;
const { createBallast } = (await import(dist("client/index.js"))) as typeof import("../../src/client/index.js");
const { traceStoreFromOption } = (await import(
  dist("observe/trace-store/from-option.js")
)) as typeof import("../../src/observe/trace-store/from-option.js");
const { openai, leanFetch } = (await import(dist("providers/openai/index.js"))) as typeof import("../../src/providers/openai/index.js");
/**
 * `BENCH_BASELINE_DIST=/path/to/other/checkout/dist`: also measures that build of Ballast (built beforehand,
 * e.g. an older commit in a git worktree) in the same interleaved rounds, so a change's effect on overhead is
 * read from one run rather than from two runs minutes apart on a machine whose load drifts.
 */
const baselineDist = process.env.BENCH_BASELINE_DIST;
const baseline = baselineDist
  ? {
      createBallast: (
        (await import(new URL(`file://${join(baselineDist, "client/index.js")}`).href)) as typeof import("../../src/client/index.js")
      ).createBallast,
      openai: (
        (await import(
          new URL(`file://${join(baselineDist, "providers/openai/index.js")}`).href
        )) as typeof import("../../src/providers/openai/index.js")
      ).openai,
    }
  : undefined;
const { Review, reviewFallback, reviewInstructions } = (await import(
  dist("demo/review-schema.js")
)) as typeof import("../../src/demo/review-schema.js");

const REVIEWS = [
  "Battery lasts two days and the screen is gorgeous. Worth every penny.",
  "Arrived late, box crushed, and support never answered my emails.",
  "Decent build quality for the price, but the fan gets loud under load.",
  "The design is lovely; performance is fine for browsing, nothing more.",
  "Stopped charging after a week. Replacement took a month to ship.",
  "Exactly as described. Fast shipping, solid feel, no complaints.",
  "Screen has a dead pixel and the speakers crackle. Returning it.",
  "Great value. Battery could be better but the price makes up for it.",
];

const sim = await startSimulatorProcess(pinned);
const baseURL = `${sim.url}/v1`;
const dir = mkdtempSync(join(tmpdir(), "ballast-overhead-"));
const tracePath = join(dir, "t.db");

// The exact request bodies Ballast sends (one per review), captured from the wire, so the raw SDK variant
// sends the same messages, sampling and strict json_schema response_format.
const bodies: unknown[] = [];
const capturing = new OpenAI({
  apiKey: API_KEY,
  baseURL,
  maxRetries: 0,
  fetch: async (input, init) => {
    if (typeof init?.body === "string") bodies.push(JSON.parse(init.body));
    return fetch(input, init);
  },
});
const request = { name: "classify-review", schema: Review, instructions: reviewInstructions, fallback: reviewFallback };
/**
 * One call's options, written out as a literal. Not `{ ...request, input }`: on Node 20 that spread costs
 * ~1 µs in the caller and, once optimised, makes a new hidden class per object (garbage maps for the GC).
 * That is the caller's cost, not Ballast's (Ballast copies a one-off call's options into a fixed shape first).
 */
const callOptions = (i: number) => ({
  name: request.name,
  schema: request.schema,
  instructions: request.instructions,
  fallback: request.fallback,
  input: REVIEWS[i % REVIEWS.length],
});
{
  const probe = createBallast({ models: [openai(MODEL, { client: capturing })], traces: false });
  for (const review of REVIEWS) {
    const r = await probe.generate({
      name: request.name,
      schema: request.schema,
      instructions: request.instructions,
      fallback: request.fallback,
      input: review,
    });
    if (r.source !== "model") throw new Error(`probe call did not succeed: ${r.source} ${JSON.stringify(r.errors)}`);
  }
  if (bodies.length !== REVIEWS.length) throw new Error(`captured ${bodies.length} bodies for ${REVIEWS.length} calls`);
}
// The same for the Responses API: the bodies Ballast's Responses path sends, for the raw `responses.create`.
const responsesBodies: unknown[] = [];
{
  const before = bodies.length;
  const probe = createBallast({ models: [openai(MODEL, { client: capturing, api: "responses" })], traces: false });
  for (const review of REVIEWS) {
    const r = await probe.generate({
      name: request.name,
      schema: request.schema,
      instructions: request.instructions,
      fallback: request.fallback,
      input: review,
    });
    if (r.source !== "model") throw new Error(`responses probe call did not succeed: ${r.source} ${JSON.stringify(r.errors)}`);
  }
  responsesBodies.push(...bodies.splice(before));
  const format = (responsesBodies[0] as { text?: { format?: { type?: string; strict?: boolean } } }).text?.format;
  if (format?.type !== "json_schema" || format.strict !== true)
    throw new Error(`expected a strict json_schema text.format, got ${JSON.stringify(format)}`);
}
const probeBody = bodies[0] as { response_format?: { type?: string; json_schema?: { strict?: boolean } } };
if (probeBody.response_format?.type !== "json_schema" || probeBody.response_format.json_schema?.strict !== true) {
  throw new Error(`expected a strict json_schema response_format, got ${JSON.stringify(probeBody.response_format)}`);
}

// (1) the raw SDK: same request, then JSON.parse + zod validation of the content.
const raw = new OpenAI({ apiKey: API_KEY, baseURL, maxRetries: 0 });
async function rawCall(i: number): Promise<boolean> {
  const body = bodies[i % bodies.length] as OpenAI.ChatCompletionCreateParamsNonStreaming;
  const res = await raw.chat.completions.create(body);
  const content = res.choices[0]?.message.content;
  if (!content) return false;
  return Review.safeParse(JSON.parse(content)).success;
}

// (1c) the raw SDK over Ballast's transport (the fetch openai() gives the clients it creates): the floor of
// the same HTTP path Ballast takes, so the ratio against it is Ballast's own share alone.
const rawLean = new OpenAI({ apiKey: API_KEY, baseURL, maxRetries: 0, fetch: leanFetch });
async function rawLeanCall(i: number): Promise<boolean> {
  const body = bodies[i % bodies.length] as OpenAI.ChatCompletionCreateParamsNonStreaming;
  const res = await rawLean.chat.completions.create(body);
  const content = res.choices[0]?.message.content;
  if (!content) return false;
  return Review.safeParse(JSON.parse(content)).success;
}

// (1b) the raw SDK on the Responses API: same request, then JSON.parse + zod validation of output_text.
async function rawResponsesCall(i: number): Promise<boolean> {
  const body = responsesBodies[i % responsesBodies.length] as OpenAI.Responses.ResponseCreateParamsNonStreaming;
  const res = await raw.responses.create(body);
  const text = res.output_text;
  if (!text) return false;
  return Review.safeParse(JSON.parse(text)).success;
}

// (2) Ballast without tracing, (3) Ballast tracing to SQLite. Each has its own provider, as a user would.
const plain = createBallast({ models: [openai(MODEL, { baseURL, apiKey: API_KEY })], traces: false });
const traced = createBallast({ models: [openai(MODEL, { baseURL, apiKey: API_KEY })], traces: tracePath });
const responses = createBallast({ models: [openai(MODEL, { api: "responses", baseURL, apiKey: API_KEY })], traces: false });
const baselinePlain = baseline?.createBallast({ models: [baseline.openai(MODEL, { baseURL, apiKey: API_KEY })], traces: false });
const store = traceStoreFromOption(tracePath);
if (!store) throw new Error("no trace store");

interface Variant {
  name: string;
  call: (i: number) => Promise<boolean>;
  /** Work the variant owes for its block (the trace store's pending batch), measured with it. */
  settle?: () => void;
  /** The raw SDK variant this one is compared with (index into `variants`); none for a raw one. */
  baseline?: number;
}
const variants: Variant[] = [
  { name: "openai SDK (raw)", call: rawCall },
  {
    name: "ballast generate, traces: false",
    call: async (i) => (await plain.generate(callOptions(i))).source === "model",
    baseline: 0,
  },
  {
    name: "ballast generate, SQLite traces",
    call: async (i) => (await traced.generate(callOptions(i))).source === "model",
    settle: () => store.flush(),
    baseline: 0,
  },
  { name: "openai SDK responses.create (raw)", call: rawResponsesCall },
  {
    name: "ballast generate, Responses API, traces: false",
    call: async (i) => (await responses.generate(callOptions(i))).source === "model",
    baseline: 3,
  },
  { name: "openai SDK (raw) over Ballast's leanFetch", call: rawLeanCall },
];
const baselineIndex = variants.length;
if (baselinePlain) {
  variants.push({
    name: "baseline build (BENCH_BASELINE_DIST), traces: false",
    call: async (i) => (await baselinePlain.generate(callOptions(i))).source === "model",
    baseline: 0,
  });
}

const gc = (globalThis as { gc?: () => void }).gc ?? (() => {});

/** CPU µs (user + system, whole process) per successful call over one block of sequential calls. */
async function block(v: Variant, calls: number): Promise<{ usPerCall: number; ok: number }> {
  const t0 = process.cpuUsage();
  let ok = 0;
  for (let i = 0; i < calls; i++) if (await v.call(i)) ok++;
  v.settle?.();
  const d = process.cpuUsage(t0);
  return { usPerCall: ok ? (d.user + d.system) / ok : Number.POSITIVE_INFINITY, ok };
}

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length % 2 ? (s[m] as number) : ((s[m - 1] as number) + (s[m] as number)) / 2;
};
const quantile = (xs: number[], q: number) => [...xs].sort((a, b) => a - b)[Math.round(q * (xs.length - 1))] as number;
const fmt = (x: number, digits = 1) => x.toFixed(digits);

/**
 * Ballast's own CPU per call with a stub model that answers at once: the part of the overhead Ballast
 * controls, measured without the network's noise (a regression here is Ballast's, not the machine's).
 */
async function ownWork(): Promise<{ plain: number; traced: number }> {
  const text = JSON.stringify({ sentiment: "mixed", score: 6, topics: ["battery", "price"], summary: "Good battery, the price is fair." });
  const usage = { inputTokens: 120, outputTokens: 30, cachedInputTokens: 0, cacheWriteTokens: 0, reasoningTokens: 0 };
  const stub: LanguageModel = {
    provider: "openai",
    modelId: MODEL,
    modes: ["json_schema"],
    supportsFrequencyPenalty: true,
    supportsN: true,
    generate: async () => ({ choices: [{ text, finishReason: "stop" }], usage, modelId: MODEL }),
    async *stream() {},
  };
  const measure = async (traces: string | false) => {
    const llm = createBallast({ models: [stub], traces });
    const store = traces ? traceStoreFromOption(traces) : null;
    const run = async (n: number) => {
      for (let i = 0; i < n; i++) await llm.generate(callOptions(i));
      store?.flush();
    };
    await run(2_000);
    const samples: number[] = [];
    for (let r = 0; r < 9; r++) {
      const t0 = process.cpuUsage();
      await run(500);
      const d = process.cpuUsage(t0);
      samples.push((d.user + d.system) / 500);
    }
    llm.close();
    return median(samples);
  };
  return { plain: await measure(false), traced: await measure(join(dir, "own.db")) };
}

try {
  for (const v of variants) await block(v, WARMUP); // JIT, sockets, price catalogue, prepared statements
  gc(); // then no forced GC: collections land in the blocks whose allocations trigger them, as in production

  const perRound: number[][] = variants.map(() => []);
  const okCounts = variants.map(() => 0);
  for (let round = 0; round < ROUNDS; round++) {
    for (let k = 0; k < variants.length; k++) {
      const index = (round + k) % variants.length; // rotate the order so no variant always runs first
      const r = await block(variants[index] as Variant, BLOCK);
      (perRound[index] as number[]).push(r.usPerCall);
      okCounts[index] = (okCounts[index] as number) + r.ok;
    }
  }

  const roundRatios = (j: number) => {
    const base = perRound[(variants[j] as Variant).baseline ?? j] as number[];
    return (perRound[j] as number[]).map((us, i) => us / (base[i] as number));
  };
  const ratioPlain = median(roundRatios(1));
  const ratioTraced = median(roundRatios(2));
  const ratioResponses = median(roundRatios(4));
  // Ballast (default transport) against the raw SDK on the same transport, and the raw SDK's own two transports
  const ratioPlainLean = median((perRound[1] as number[]).map((us, i) => us / ((perRound[5] as number[])[i] as number)));
  const leanVsDefault = median((perRound[5] as number[]).map((us, i) => us / ((perRound[0] as number[])[i] as number)));
  const tracingAdds = median((perRound[2] as number[]).map((us, i) => us / ((perRound[1] as number[])[i] as number))) - 1;

  const rows = variants.map((v, j) => {
    const us = perRound[j] as number[];
    const r = roundRatios(j);
    return [
      v.name,
      fmt(median(us)),
      `${fmt(quantile(us, 0.25))}–${fmt(quantile(us, 0.75))}`,
      v.baseline === undefined ? "1.000" : fmt(median(r), 3),
      v.baseline === undefined ? "" : `${fmt(quantile(r, 0.25), 2)}–${fmt(quantile(r, 0.75), 2)}`,
      `${okCounts[j]}/${ROUNDS * BLOCK}`,
    ];
  });
  const head = ["variant", "µs CPU/call (median)", "quartiles", "× raw SDK", "ratio quartiles", "successful calls"];
  const widths = head.map((h, c) => Math.max(h.length, ...rows.map((r) => (r[c] as string).length)));
  const line = (cells: string[]) =>
    `  ${cells.map((x, c) => (c === 0 ? x.padEnd(widths[c] as number) : x.padStart(widths[c] as number))).join("   ")}`;
  console.log(`overhead bench: client-process CPU (user + system) per successful call, node ${process.version}, ${cpus().length} core(s)`);
  console.log(
    `  simulator (zero latency) in a child process${pinned ? ", pinned to core 0; this process pinned to core 1 (taskset)" : " (not pinned: shares cores with this process)"}`,
  );
  console.log(`  ${ROUNDS} rounds x ${BLOCK} sequential calls per variant (order rotated each round) after ${WARMUP} warm-up calls each`);
  console.log(line(head));
  for (const r of rows) console.log(line(r));
  console.log(
    `  ratios are medians of per-round ratios against the raw SDK block (same API) of the same round; targets: < 1.15 without tracing, tracing adds < 10%`,
  );
  console.log(
    `  SQLite tracing adds ${fmt(tracingAdds * 100)}% over Ballast without tracing (${tracePath}, flushed inside each measured block)`,
  );
  console.log(
    `  Ballast without tracing / raw SDK over leanFetch (same transport): ${fmt(ratioPlainLean, 3)}; raw SDK leanFetch / default fetch: ${fmt(leanVsDefault, 3)}`,
  );
  if (baselinePlain) {
    const vsBaseline = median((perRound[1] as number[]).map((us, i) => us / ((perRound[baselineIndex] as number[])[i] as number)));
    console.log(`  this build / baseline build, traces: false: ${fmt(vsBaseline, 3)} (median of per-round ratios)`);
  }
  const own = await ownWork();
  console.log(
    `  Ballast's own work, in-process stub model (no HTTP, no SDK): ${fmt(own.plain)} µs/call without tracing, ${fmt(own.traced)} µs/call with SQLite tracing`,
  );
  console.log(
    `RESULT overhead ${JSON.stringify({ ratio_vs_openai_sdk: Number(ratioPlain.toFixed(3)), ratio_with_sqlite_tracing: Number(ratioTraced.toFixed(3)), ratio_responses_vs_openai_sdk: Number(ratioResponses.toFixed(3)), ratio_vs_openai_sdk_lean_fetch: Number(ratioPlainLean.toFixed(3)), openai_sdk_lean_fetch_vs_default: Number(leanVsDefault.toFixed(3)) })}`,
  );
} finally {
  plain.close();
  traced.close();
  responses.close();
  baselinePlain?.close();
  sim.stop();
  rmSync(dir, { recursive: true, force: true });
}
