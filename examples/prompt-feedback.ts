// Prompt feedback ("pressure release valve") against the simulator: the model reports contradictory
// instructions; the reports land in a trace store and `ballast feedback` clusters them per task.
// Run: npx tsx --conditions=ballast-source examples/prompt-feedback.ts
import { execFileSync } from "node:child_process";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { z } from "zod";
import { createBallast } from "ballast";
import { openai } from "ballast/openai";
import { startSimulator } from "ballast/testing";

const sim = await startSimulator();
const complaints = [
  "Asked to be brief but also to explain every step: contradictory.",
  "The instructions are contradictory: brief, yet explain every step.",
  null,
  "No list of allowed tags was given, so I guessed.",
];
sim.script(
  "gpt-4.1-nano",
  complaints.map((c) => ({ json: { tags: ["shipping"], prompt_feedback: c } })),
);

const db = join(mkdtempSync(join(tmpdir(), "ballast-example-")), "traces.db");
const llm = createBallast({ models: [openai("gpt-4.1-nano", { baseURL: `${sim.url}/v1`, apiKey: "sim" })], traces: db });
const tag = llm.task({
  name: "tag-ticket",
  schema: z.object({ tags: z.array(z.string()).describe("topic tags") }),
  instructions: "Tag the ticket. Be brief. Explain every step.",
  promptFeedback: true,
});
for (let i = 0; i < complaints.length; i++) {
  const r = await tag(`ticket ${i}: my parcel is late`);
  console.log(JSON.stringify(r.value), "feedback:", r.promptFeedback);
}
llm.close();
await sim.close();
// The aggregation, as you would run it from a shell: `ballast feedback --db <file>`.
const bin = new URL("../bin/ballast.js", import.meta.url).pathname;
console.log(`\n$ ballast feedback --db ${db}`);
console.log(execFileSync(process.execPath, [bin, "feedback", "--db", db], { encoding: "utf8" }));
