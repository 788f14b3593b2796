// Writer–critic against the simulator: the critic rejects the first draft, the writer revises, the critic accepts.
// Run: npx tsx --conditions=ballast-source examples/writer-critic.ts
import { z } from "zod";
import { createBallast } from "ballast";
import { writerCritic } from "ballast/patterns";
import { openai } from "ballast/openai";
import { startSimulator } from "ballast/testing";

const sim = await startSimulator();
// Script the critic's verdicts so the loop is visible: a rejection with one issue, then an acceptance.
sim.script("critic", [
  {
    json: {
      issues: [{ field: "headline", problem: "does not name the product", fix: "mention the X200 headphones" }],
      score: 4,
      acceptable: false,
    },
  },
  { json: { issues: [], score: 9, acceptable: true } },
]);
const model = (name: string) => openai(name, { baseURL: `${sim.url}/v1`, apiKey: "sim" });
const llm = createBallast({ models: [model("writer")], traces: false });

const Blurb = z.object({
  headline: z.string().describe("at most 8 words"),
  body: z.string().describe("two sentences for the product page"),
});

const r = await writerCritic(llm, {
  schema: Blurb,
  instructions: "Write a product blurb from the review.",
  input: "The X200 headphones: great noise cancelling, battery lasts all week.",
  critic: { models: [model("critic")] },
  maxRounds: 3,
});

for (const round of r.rounds) {
  console.log(`round ${round.round}:`, JSON.stringify(round.draft));
  console.log(
    `  critic: score ${round.critique?.score}, acceptable ${round.critique?.acceptable}`,
    JSON.stringify(round.critique?.issues ?? []),
  );
}
console.log(`stop: ${r.stop}; best round ${r.bestRound}; accepted ${r.accepted}`);
console.log("value:", JSON.stringify(r.value));
console.log(`tokens: ${r.usage.inputTokens} in / ${r.usage.outputTokens} out`);
await sim.close();
