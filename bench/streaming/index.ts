// Streaming bench: one ~200 KB structured answer streamed by the simulator (in a child process, so its CPU
// is not counted) in 3-token chunks, consumed snapshot by snapshot by Ballast's `llm.stream()` and by the
// Vercel AI SDK (`streamText` + `Output.object`, `partialOutputStream`, `@ai-sdk/openai` pointed at the
// simulator), alternating, several rounds. Reports client CPU time (user + system) per full stream and the
// time to the first complete field. Ends with one `RESULT streaming {…}` line.
import { spawn } from "node:child_process";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createInterface } from "node:readline";
import { z } from "zod";
import { createBallast } from "../../src/index.js";
import { openai } from "../../src/providers/openai/index.js";

// The AI SDK re-parses the whole text on every chunk: one 200 KB stream costs it tens of CPU seconds, so the
// default is one measured round each (BENCH_ROUNDS=3 for medians); warm-ups use a small answer.
// Loaded untyped: with the "source" condition, tsc would type-check eventsource-parser's own TypeScript.
interface AiSdk {
  streamText(options: Record<string, unknown>): { partialOutputStream: AsyncIterable<unknown>; output: Promise<unknown> };
  Output: { object(options: { schema: unknown }): unknown };
}
const { streamText, Output } = (await import("ai" as string)) as AiSdk;
const { createOpenAI } = (await import("@ai-sdk/openai" as string)) as {
  createOpenAI(o: { baseURL: string; apiKey: string }): { chat(model: string): unknown };
};

const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 1);
/** Extra runs that stop at the first complete field (cheap for both): the first-field medians use them too. */
const FIELD_ROUNDS = Number(process.env.BENCH_FIELD_ROUNDS ?? 9);
const MODEL = "bench-stream";
const TTFT_MS = 20;

const Item = z.object({
  id: z.number().int(),
  name: z.string(),
  description: z.string(),
  tags: z.array(z.string()),
  score: z.number(),
  status: z.enum(["open", "closed", "pending"]),
});
const Catalogue = z.object({ title: z.string(), summary: z.string(), items: z.array(Item) });
type Catalogue = z.infer<typeof Catalogue>;

/** A deterministic answer of about 200 KB. */
function answerOf(bytes: number): Catalogue {
  const words = [
    "battery",
    "screen",
    "price",
    "delivery",
    "support",
    "quality",
    "design",
    "sound",
    "camera",
    "weight",
    "warranty",
    "setup",
  ];
  const items: Catalogue["items"] = [];
  let seed = 7;
  const next = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
  const phrase = (n: number) => Array.from({ length: n }, () => words[Math.floor(next() * words.length)]).join(" ");
  for (let id = 0; JSON.stringify(items).length < bytes; id++) {
    items.push({
      id,
      name: `Product ${id} ${phrase(2)}`,
      description: `${phrase(12)}.`,
      tags: [phrase(1), phrase(1), phrase(1)],
      score: Math.round(next() * 1000) / 100,
      status: (["open", "closed", "pending"] as const)[id % 3]!,
    });
  }
  return { title: "Customer feedback catalogue", summary: phrase(20), items };
}

async function startSimulatorProcess(config: object): Promise<{ url: string; stop: () => void }> {
  const root = new URL("../../", import.meta.url).pathname;
  const file = join(mkdtempSync(join(tmpdir(), "ballast-stream-bench-")), "sim.json");
  writeFileSync(file, JSON.stringify(config));
  const proc = spawn(process.execPath, [join(root, "bin/ballast.js"), "simulate", "--port", "0", "--config", file], {
    cwd: root,
    stdio: ["ignore", "pipe", "inherit"],
  });
  const url = await new Promise<string>((resolve, reject) => {
    createInterface({ input: proc.stdout }).once("line", (line) => resolve(line.trim()));
    proc.once("exit", (code) => reject(new Error(`ballast simulate exited with ${code}`)));
  });
  return { url, stop: () => proc.kill("SIGTERM") };
}

interface Run {
  cpuMs: number;
  wallMs: number;
  firstFieldMs: number;
  /** The first update of any kind: what the simulator and the transport take, before any parsing question. */
  firstUpdateMs: number;
  updates: number;
  ok: boolean;
}

const cpuMs = (since: NodeJS.CpuUsage) => {
  const d = process.cpuUsage(since);
  return (d.user + d.system) / 1000;
};

async function runBallast(baseURL: string, expected: Catalogue | null, stopAtField = false): Promise<Run> {
  const llm = createBallast({ models: [openai(MODEL, { baseURL, apiKey: "bench" })], traces: false, reasks: 0, breaker: false });
  globalThis.gc?.();
  const cpu = process.cpuUsage();
  const t0 = performance.now();
  let firstFieldMs = 0;
  let firstUpdateMs = 0;
  let updates = 0;
  const s = llm.stream({ schema: Catalogue, instructions: "Return the catalogue as JSON.", input: "catalogue please" });
  for await (const e of s) {
    if (e.type !== "snapshot") continue;
    updates++;
    if (!firstUpdateMs) firstUpdateMs = performance.now() - t0;
    if (!firstFieldMs && e.done.has("/title")) firstFieldMs = performance.now() - t0;
    if (firstFieldMs && stopAtField) break;
  }
  if (stopAtField) {
    await s.result.catch(() => {});
    return { cpuMs: cpuMs(cpu), wallMs: performance.now() - t0, firstFieldMs, firstUpdateMs, updates, ok: firstFieldMs > 0 };
  }
  const r = await s.result;
  const wallMs = performance.now() - t0;
  return {
    cpuMs: cpuMs(cpu),
    wallMs,
    firstFieldMs,
    firstUpdateMs,
    updates,
    ok: r.source === "model" && (!expected || r.value.items.length === expected.items.length),
  };
}

async function runAiSdk(baseURL: string, expected: Catalogue | null, stopAtField = false): Promise<Run> {
  const provider = createOpenAI({ baseURL, apiKey: "bench" });
  const stop = new AbortController(); // breaking out alone would leave the SDK parsing the rest in the background
  globalThis.gc?.();
  const cpu = process.cpuUsage();
  const t0 = performance.now();
  let firstFieldMs = 0;
  let firstUpdateMs = 0;
  let updates = 0;
  const result = streamText({
    model: provider.chat(MODEL),
    output: Output.object({ schema: Catalogue }),
    system: "Return the catalogue as JSON.",
    prompt: "catalogue please",
    maxRetries: 0,
    abortSignal: stop.signal,
  });
  for await (const partial of result.partialOutputStream) {
    updates++;
    // The AI SDK cannot say a field is complete: the title is known complete once the next key has started.
    if (!firstUpdateMs) firstUpdateMs = performance.now() - t0;
    if (!firstFieldMs && (partial as Partial<Catalogue>).summary !== undefined) firstFieldMs = performance.now() - t0;
    if (firstFieldMs && stopAtField) break;
  }
  if (stopAtField) {
    stop.abort();
    await result.output.catch(() => {});
    return { cpuMs: cpuMs(cpu), wallMs: performance.now() - t0, firstFieldMs, firstUpdateMs, updates, ok: firstFieldMs > 0 };
  }
  const value = (await result.output) as Catalogue;
  const wallMs = performance.now() - t0;
  return { cpuMs: cpuMs(cpu), wallMs, firstFieldMs, firstUpdateMs, updates, ok: !expected || value.items.length === expected.items.length };
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const round = (x: number, d = 1) => Math.round(x * 10 ** d) / 10 ** d;

const answer = answerOf(200_000);
const warm = answerOf(5_000);
const bytes = JSON.stringify(answer).length;
const script = [{ json: warm }, { json: warm }, ...Array.from({ length: 2 * (ROUNDS + FIELD_ROUNDS) }, () => ({ json: answer }))];
const sim = await startSimulatorProcess({ seed: 1, models: { [MODEL]: { ttftMs: TTFT_MS, script } } });
const baseURL = `${sim.url}/v1`;
try {
  console.log(
    `streaming a ${round(bytes / 1024)} KB object (${answer.items.length} items) in 3-token chunks; simulator in a child process; ${ROUNDS} rounds after a warm-up`,
  );
  await runBallast(baseURL, null); // warm-up on a small answer: JIT, lazy modules, fetch
  await runAiSdk(baseURL, null);
  const ballast: Run[] = [];
  const aiSdk: Run[] = [];
  for (let i = 0; i < ROUNDS; i++) {
    // alternate who goes first, so a noisy moment does not always land on the same one
    if (i % 2 === 0) {
      ballast.push(await runBallast(baseURL, answer));
      aiSdk.push(await runAiSdk(baseURL, answer));
    } else {
      aiSdk.push(await runAiSdk(baseURL, answer));
      ballast.push(await runBallast(baseURL, answer));
    }
  }
  const ballastFields: number[] = ballast.map((r) => r.firstFieldMs);
  const aiSdkFields: number[] = aiSdk.map((r) => r.firstFieldMs);
  const ballastFirst: number[] = ballast.map((r) => r.firstUpdateMs);
  const aiSdkFirst: number[] = aiSdk.map((r) => r.firstUpdateMs);
  for (let i = 0; i < FIELD_ROUNDS; i++) {
    const pair = i % 2 === 0 ? ["ballast", "ai"] : ["ai", "ballast"];
    for (const who of pair) {
      if (who === "ballast") {
        const r = await runBallast(baseURL, null, true);
        ballastFields.push(r.firstFieldMs);
        ballastFirst.push(r.firstUpdateMs);
      } else {
        const r = await runAiSdk(baseURL, null, true);
        aiSdkFields.push(r.firstFieldMs);
        aiSdkFirst.push(r.firstUpdateMs);
      }
    }
  }
  const row = (name: string, rs: Run[], fields: number[], firsts: number[]) =>
    `${name.padEnd(22)} ${String(round(median(rs.map((r) => r.cpuMs)))).padStart(10)} ${String(round(median(rs.map((r) => r.wallMs)))).padStart(10)} ${String(round(median(firsts))).padStart(17)} ${String(round(median(fields))).padStart(16)} ${String(median(rs.map((r) => r.updates))).padStart(9)} ${rs.every((r) => r.ok) ? "yes" : "NO"}`;
  console.log(
    `${"".padEnd(22)} ${"CPU ms".padStart(10)} ${"wall ms".padStart(10)} ${"first update ms".padStart(17)} ${"first field ms".padStart(16)} ${"updates".padStart(9)} valid`,
  );
  console.log(row("Ballast llm.stream", ballast, ballastFields, ballastFirst));
  console.log(row("AI SDK streamText", aiSdk, aiSdkFields, aiSdkFirst));
  console.log(
    `(CPU, wall and updates: medians of ${ROUNDS} full streams; first update and first field: medians of ${ROUNDS + FIELD_ROUNDS} runs, dominated by the simulator preparing the 200 KB reply (first update); first field: Ballast's done set has /title; AI SDK: the next key has started, the earliest it can tell)`,
  );
  const ratio = median(ballast.map((r) => r.cpuMs)) / median(aiSdk.map((r) => r.cpuMs));
  console.log(
    `RESULT streaming ${JSON.stringify({
      cpu_ratio_vs_ai_sdk: round(ratio, 3),
      first_field_ms: round(median(ballastFields)),
      ai_sdk_first_field_ms: round(median(aiSdkFields)),
    })}`,
  );
} finally {
  sim.stop();
}
