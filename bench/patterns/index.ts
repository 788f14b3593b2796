// Patterns bench: measured accuracy and token cost of a single call vs Best-of-N (3, 5, 9, majority per
// field) vs writer–critic, on the simulator's ground-truth mode (each field right with p = 0.7, wrong
// answers spread over several wrong values). Last line: `RESULT patterns {...}` with the accuracies.
import { z } from "zod";
import { bestOfN, writerCritic } from "ballast/patterns";
import { createBallast, type Usage } from "ballast";
import { openai } from "ballast/openai";
import { type GroundTruth, startSimulator } from "ballast/testing";

const ITEMS = Number(process.env.BENCH_ITEMS ?? 150);
const P = 0.7;
const CONCURRENCY = 8;

const CATEGORIES = ["bug", "feature_request", "billing", "account_access", "performance", "documentation"] as const;
const PRIORITIES = ["p0", "p1", "p2", "p3"] as const;
const TEAMS = ["payments", "identity", "mobile", "search", "platform", "growth", "support", "data"];

const Ticket = z.object({
  category: z.enum(CATEGORIES).describe("what the ticket is about"),
  priority: z.enum(PRIORITIES).describe("p0 = outage … p3 = whenever"),
  team: z.string().describe("the owning team, one word"),
  estimate_hours: z.number().int().min(1).max(200).describe("effort to resolve, in hours"),
});
type Ticket = z.infer<typeof Ticket>;
const FIELDS = Object.keys(Ticket.shape) as Array<keyof Ticket>;

// Deterministic ground truth per item.
let state = 12345;
const rand = () => (state = (state * 1103515245 + 12345) % 2147483648) / 2147483648;
const pick = <T>(xs: readonly T[]) => xs[Math.floor(rand() * xs.length)]!;
const truths: GroundTruth[] = Array.from({ length: ITEMS }, (_, i) => ({
  match: `TICKET-${String(i).padStart(4, "0")}`,
  answer: { category: pick(CATEGORIES), priority: pick(PRIORITIES), team: pick(TEAMS), estimate_hours: 4 + Math.floor(rand() * 60) },
}));

const sim = await startSimulator({
  seed: 2026,
  models: { "sim-mini": { accuracy: P, priceInputPerMTok: 0.15, priceOutputPerMTok: 0.6 } },
  groundTruth: truths,
});
const model = openai("sim-mini", { baseURL: `${sim.url}/v1`, apiKey: "bench", price: { inputPerMTok: 0.15, outputPerMTok: 0.6 } });
const llm = createBallast({ models: [model], traces: false, breaker: false });
const instructions = "Triage the support ticket: category, priority, owning team and an effort estimate.";

interface Tally {
  correct: number;
  fields: number;
  tokens: number;
  costUsd: number;
  calls: number;
}
type Method = "single" | "best_of_3" | "best_of_5" | "best_of_9" | "critic";
const METHODS: Method[] = ["single", "best_of_3", "best_of_5", "best_of_9", "critic"];
const tally = Object.fromEntries(METHODS.map((m) => [m, { correct: 0, fields: 0, tokens: 0, costUsd: 0, calls: 0 }])) as Record<
  Method,
  Tally
>;

function score(method: Method, truth: GroundTruth, r: { value: Ticket; usage: Usage; costUsd: number | null }, calls: number) {
  const { value, usage, costUsd } = r;
  const t = tally[method];
  for (const f of FIELDS) {
    t.fields++;
    if (JSON.stringify(value[f]) === JSON.stringify(truth.answer[f])) t.correct++;
  }
  t.tokens += usage.inputTokens + usage.outputTokens;
  t.costUsd += costUsd ?? 0;
  t.calls += calls;
}

async function runItem(truth: GroundTruth) {
  const input = `${truth.match}: customer message about their account and an issue they hit today.`;
  const single = await llm.generate({ schema: Ticket, instructions, input });
  score("single", truth, single, 1);
  for (const n of [3, 5, 9] as const) {
    const r = await bestOfN(llm, { n, schema: Ticket, instructions, input, temperature: 0.7 });
    score(`best_of_${n}`, truth, r, n);
  }
  const c = await writerCritic(llm, { schema: Ticket, instructions, input, maxRounds: 3 });
  score("critic", truth, c, c.rounds.length * 2);
}

const started = Date.now();
let next = 0;
await Promise.all(
  Array.from({ length: CONCURRENCY }, async () => {
    while (next < truths.length) await runItem(truths[next++]!);
  }),
);
await sim.close();

const acc = (m: Method) => tally[m].correct / tally[m].fields;
const rows = METHODS.map((m) => {
  const t = tally[m];
  return [
    m,
    acc(m).toFixed(3),
    (t.calls / ITEMS).toFixed(1),
    Math.round(t.tokens / ITEMS).toString(),
    `${(t.tokens / ITEMS / (tally.single.tokens / ITEMS)).toFixed(1)}x`,
    `$${((t.costUsd / ITEMS) * 1000).toFixed(3)}`,
  ];
});
const head = ["method", "accuracy", "calls/item", "tokens/item", "vs single", "$ per 1k items"];
const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
const line = (cells: string[]) => cells.map((c, i) => c.padEnd(widths[i]!)).join("  ");
console.log(
  `patterns bench: ${ITEMS} tickets x ${FIELDS.length} fields, simulator ground truth p = ${P} per field, ${((Date.now() - started) / 1000).toFixed(1)} s`,
);
console.log(line(head));
for (const r of rows) console.log(line(r));
console.log(
  "Best-of-N: temperature 0.7, distinct seeds, majority vote for enums and short strings, median (or exact plurality) for the estimate.",
);
console.log("writer–critic: the simulator's critic cannot see the ground truth (its verdicts and scores are random), so its");
console.log("accuracy stays near a single call here; the row shows what the loop costs, not what a real critic catches.");
const result = METHODS.map((m) => `"${m}": ${Number(acc(m).toFixed(3))}`).join(", ");
console.log(`RESULT patterns {${result}}`);
