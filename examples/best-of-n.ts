// Best-of-N against the simulator: a model right 70% of the time per field, 7 samples combined field by field.
// Run: npx tsx --conditions=ballast-source examples/best-of-n.ts
import { z } from "zod";
import { bestOfN } from "ballast/patterns";
import { createBallast } from "ballast";
import { openai } from "ballast/openai";
import { startSimulator } from "ballast/testing";

const sim = await startSimulator({
  models: { "gpt-4.1-nano": { accuracy: 0.7 } },
  groundTruth: [{ match: "ORDER-1187", answer: { category: "billing", priority: "high", refund_usd: 49 } }],
});
const llm = createBallast({ models: [openai("gpt-4.1-nano", { baseURL: `${sim.url}/v1`, apiKey: "sim" })], traces: false });

const Ticket = z.object({
  category: z.enum(["billing", "shipping", "product", "other"]).describe("what the ticket is about"),
  priority: z.enum(["low", "normal", "high"]).describe("high = money or access at stake"),
  refund_usd: z.number().min(0).describe("refund owed in dollars, 0 if none"),
});

const r = await bestOfN(llm, {
  n: 7,
  temperature: 0.7,
  schema: Ticket,
  instructions: "Triage the support ticket.",
  input: "ORDER-1187: I was charged twice for the $49 plan. Please refund one charge.",
});

console.log("samples:");
for (const s of r.samples) console.log(`  seed ${s.seed}:`, JSON.stringify(s.value));
console.log("combined:", JSON.stringify(r.value), `(${r.source})`);
console.log("confidence per field:", r.confidence);
const doubtful = Object.entries(r.confidence)
  .filter(([, c]) => c < 0.5)
  .map(([f]) => f);
if (doubtful.length) console.log(`low agreement (< 0.5), worth a review or a larger N: ${doubtful.join(", ")}`);
console.log(`failed samples: ${r.failed.length}; tokens: ${r.usage.inputTokens} in / ${r.usage.outputTokens} out`);
await sim.close();
