// The schema design kit: lint a schema, then build a better one with withJustification, scored and
// resultUnion, and call it against the simulator (its hardcoded fallback fits the union).
// Run: npx tsx --conditions=ballast-source examples/schema-kit.ts
import { z } from "zod";
import { createBallast } from "ballast";
import { lintSchema, resultUnion, scored, withJustification } from "ballast/schema";
import { openai } from "ballast/openai";
import { startSimulator } from "ballast/testing";

const Naive = z.object({
  verdict: z.string(),
  score: z.number(),
  reasoning: z.string(),
  extra: z.record(z.string(), z.unknown()),
});
console.log("lint of the naive schema (openai):");
for (const w of lintSchema(Naive, { provider: "openai" }))
  console.log(`  ${w.severity} ${w.path} [${w.rule}] ${w.message}\n      fix: ${w.fix}`);

const rubric = scored({
  criteria: { clarity: "0 = unreadable, 3 = understandable with effort, 5 = crisp", accuracy: "0 = wrong, 3 = minor errors, 5 = exact" },
  scale: [0, 5],
  weights: { accuracy: 2 },
});
const Grade = resultUnion(withJustification(z.object({ scores: rubric.schema })), {
  errors: { not_an_essay: "the input is not an essay", too_short: "under 50 words" },
});
console.log("\nlint of the kit-built schema:", lintSchema(Grade, { provider: "openai", warningsOnly: true }).length, "warnings");

const sim = await startSimulator();
const llm = createBallast({ models: [openai("gpt-4.1-nano", { baseURL: `${sim.url}/v1`, apiKey: "sim" })], traces: false, reasks: 0 });
const grade = llm.task({
  name: "grade-essay",
  schema: Grade,
  instructions: "Grade the essay.",
  fallback: Grade.fail("too_short", "Grading is unavailable right now."),
});

const r = await grade("An essay about tides.");
if (r.value.status === "success") {
  const t = rubric.total(r.value.scores);
  console.log("\nsuccess:", JSON.stringify(r.value.scores));
  console.log(`total (computed in code, accuracy weighted x2): ${t.total.toFixed(2)} / 5 (${Math.round(t.normalized * 100)}%)`);
} else console.log("\nthe model said it cannot:", r.value.error, r.value.message);

// down for the call and its one same-model retry
sim.script("gpt-4.1-nano", [{ status: 503 }, { status: 503 }]);
const down = await grade("Another essay.");
console.log("\nprovider down ->", down.source, JSON.stringify(down.value));
await sim.close();
