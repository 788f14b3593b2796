// Thinker + formatter against the simulator: a "strong" model thinks in free text, a cheap one writes the JSON.
// Run: npx tsx --conditions=ballast-source examples/thinker-formatter.ts
import { z } from "zod";
import { createBallast } from "ballast";
import { thinkThenFormat } from "ballast/patterns";
import { withJustification } from "ballast/schema";
import { openai } from "ballast/openai";
import { startSimulator } from "ballast/testing";

const sim = await startSimulator({ models: { "o3-sim": { ttftMs: 200 }, "nano-sim": { ttftMs: 20 } } });
sim.script("o3-sim", [
  {
    text: "The contract renews automatically unless cancelled 30 days before term. Clause 7 caps liability at fees paid. Risk: medium — the auto-renewal is easy to miss.",
  },
]);
const model = (name: string) => openai(name, { baseURL: `${sim.url}/v1`, apiKey: "sim" });
const llm = createBallast({ models: [model("nano-sim")], traces: false });

const Review = withJustification(
  z.object({
    risk: z.enum(["low", "medium", "high"]).describe("overall contractual risk"),
    auto_renews: z.boolean().describe("true when the contract renews without action"),
  }),
);

const r = await thinkThenFormat(llm, {
  thinker: { models: [model("o3-sim")], timeoutMs: 30_000 },
  schema: Review,
  instructions: "Review the contract for risk.",
  input: "…contract text…",
  fallback: { reasoning: "automatic review unavailable", risk: "high", auto_renews: false },
});

console.log("thoughts:", r.thoughts);
console.log("value:", JSON.stringify(r.value), `(${r.source}, formatter ${r.formatter.model}, thinker ${r.thinker.model})`);
console.log(
  `tokens: thinker ${r.thinker.usage.outputTokens} out, formatter ${r.formatter.usage.outputTokens} out, total ${r.usage.inputTokens} in / ${r.usage.outputTokens} out`,
);
await sim.close();
