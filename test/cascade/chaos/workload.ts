/**
 * The chaos workload, run in its own process by chaos.timing.test.ts: 1,000 parallel `generate` calls against the
 * simulator at the URL given, then a report line on stdout. It never calls process.exit: it must end by itself.
 * Usage: node --conditions=ballast-source --import tsx --expose-gc workload.ts <simulator url> <calls> [deadlineMs] [timeoutMs]
 */
import { z } from "zod";
import { createBallast } from "ballast";
import { openai } from "ballast/openai";

const [url, callsArg, deadlineArg, timeoutArg] = process.argv.slice(2);
const calls = Number(callsArg ?? 1000);
const deadlineMs = Number(deadlineArg ?? 6_000);
const timeoutMs = Number(timeoutArg ?? 3_000);
const S = z.object({
  label: z.enum(["bug", "feature", "question"]),
  priority: z.number().int().min(1).max(5),
  summary: z.string(),
  tags: z.array(z.string()).max(4),
});
const fallback = { label: "question" as const, priority: 3, summary: "unavailable", tags: [] };

let unhandled = 0;
process.on("unhandledRejection", (e) => {
  unhandled++;
  console.error("unhandled rejection:", e);
});

const model = (name: string) => openai(name, { baseURL: `${url}/v1`, apiKey: "k" });
const llm = createBallast({
  models: [model("chaos-primary"), model("chaos-secondary")],
  deadlineMs,
  timeoutMs,
  traces: false,
  breaker: false,
});
// (breakers off: under this load they would open and skip most attempts; here every fault must be met)
const gc = (globalThis as { gc?: () => void }).gc;
if (!gc) throw new Error("run with --expose-gc");
const heap = () => {
  for (let i = 0; i < 4; i++) gc();
  return process.memoryUsage().heapUsed;
};

async function wave(n: number, tag: string) {
  const counts = {
    valid: 0,
    invalid: 0,
    rejected: 0,
    model: 0,
    repaired: 0,
    fallback: 0,
    maxLatencyMs: 0,
    attempts: 0,
    outcomes: {} as Record<string, number>,
    burstMs: 0,
  };
  const t0 = performance.now();
  const pending = Array.from({ length: n }, async (_, i) => {
    try {
      const r = await llm.generate({
        schema: S,
        input: `${tag} ticket ${i}: the export button crashes`,
        fallback,
        hedge: i % 2 ? { afterMs: 1_000 } : false,
      });
      if (S.safeParse(r.value).success) counts.valid++;
      else counts.invalid++;
      counts[r.source]++;
      counts.attempts += r.attempts.length;
      for (const a of r.attempts) counts.outcomes[a.outcome] = (counts.outcomes[a.outcome] ?? 0) + 1;
      counts.maxLatencyMs = Math.max(counts.maxLatencyMs, r.latencyMs);
    } catch (e) {
      counts.rejected++;
      console.error("rejected:", e);
    }
  });
  // Starting n calls is synchronous work (prompt, schema) that holds the event loop: no deadline can fire
  // during it, so the first calls' latency includes it. Reported so the test can allow for it.
  counts.burstMs = Math.round(performance.now() - t0);
  await Promise.all(pending);
  return counts;
}

/** Polls until only stdio handles remain (sockets of aborted requests take a moment to close). */
async function drained(limitMs: number): Promise<{ ms: number; left: string[] }> {
  const t0 = performance.now();
  const busy = () => process.getActiveResourcesInfo().filter((r) => r !== "PipeWrap" && r !== "TTYWrap" && r !== "FSReqCallback");
  while (busy().length > 0 && performance.now() - t0 < limitMs) await new Promise((r) => setImmediate(r));
  return { ms: Math.round(performance.now() - t0), left: busy() };
}

// warm-up (modules, fetch, the price catalogue, the connection pool): one call alone first, then a few
// dozen in parallel; then the baseline
await wave(1, "warm-up");
await wave(49, "warm-up");
await new Promise((r) => setTimeout(r, 100));
const baselineHeap = heap();
const t0 = performance.now();
const counts = await wave(calls, "chaos");
const durationMs = performance.now() - t0;
const doneAt = Date.now();
const drain = await drained(3_000);
const afterHeap = heap();
llm.close();
const report = {
  calls,
  ...counts,
  durationMs: Math.round(durationMs),
  unhandled,
  baselineHeap,
  afterHeap,
  drainMs: drain.ms,
  resources: drain.left,
  breakers: llm.health(),
  doneAt,
};
process.stdout.write(`REPORT ${JSON.stringify(report)}\n`);
