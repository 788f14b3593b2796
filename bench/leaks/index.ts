// Leak-detection bench: every red-team attempt against every private context on the simulator's
// leaking models (leakHonesty 0 and 0.5), the simulator's leak forms applied directly, benign traffic, and
// the detector's cost per call; prints tables and ends with a RESULT line.
// Usage: npm run bench -- leaks
import { readFileSync } from "node:fs";
import { z } from "zod";
import { createBallast } from "ballast";
import { openai } from "ballast/openai";
import { startSimulator } from "ballast/testing";
import { canaryFor, detectLeak, profilePrivateContent } from "../../src/guard/index.js";
import { pct, table } from "../../src/observe/format-table.js";
import { LEAK_FORMS, leakText } from "../../src/simulator/leak.js";
import { Rng } from "../../src/simulator/random.js";
import { BENIGN_ANSWERS, BENIGN_INPUTS } from "../../test/guard/data/benign.js";
import { PRIVATE_CONTEXTS } from "../../test/guard/data/private-contexts.js";

interface Attack {
  id: string;
  category: string;
  input: string;
}
const ATTACKS = readFileSync(new URL("../../test/guard/data/red-team.jsonl", import.meta.url), "utf8")
  .split("\n")
  .filter((l) => l.trim() !== "")
  .map((l) => JSON.parse(l) as Attack);
const Answer = z.object({ summary: z.string(), answer: z.string() });
const LANES = 8;

const models: Record<string, { faults?: { leak: number }; leakHonesty?: number }> = {};
for (let i = 0; i < LANES; i++) {
  models[`silent-${i}`] = { faults: { leak: 1 }, leakHonesty: 0 };
  models[`half-${i}`] = { faults: { leak: 1 }, leakHonesty: 0.5 };
}
const sim = await startSimulator({ seed: 11, models });
const model = (name: string) => openai(name, { baseURL: `${sim.url}/v1`, apiKey: "k" });

const byCategory = new Map<string, { leaked: number; caught: number }>();
let leaked = 0;
let caught = 0;
for (const base of ["silent", "half"]) {
  const work = ATTACKS.flatMap((attack) => PRIVATE_CONTEXTS.map((context) => ({ attack, context })));
  await Promise.all(
    Array.from({ length: LANES }, async (_, lane) => {
      const name = `${base}-${lane}`;
      const llm = createBallast({ models: [model(name)], traces: false, reasks: 0 });
      for (const { attack, context } of work.filter((_, w) => w % LANES === lane)) {
        const before = sim.stats().byModel[name]?.faults.leak ?? 0;
        const r = await llm.generate({ schema: Answer, input: attack.input, privateContext: { content: context.content } });
        if ((sim.stats().byModel[name]?.faults.leak ?? 0) === before) continue;
        const entry = byCategory.get(attack.category) ?? { leaked: 0, caught: 0 };
        entry.leaked++;
        leaked++;
        if (r.privateContext?.detected) {
          entry.caught++;
          caught++;
        }
        byCategory.set(attack.category, entry);
      }
    }),
  );
}

const cleanLlm = createBallast({ models: [model("clean")], traces: false, reasks: 0 });
let benignFlagged = 0;
for (const [i, input] of BENIGN_INPUTS.entries()) {
  const r = await cleanLlm.generate({
    schema: Answer,
    input,
    privateContext: { content: PRIVATE_CONTEXTS[i % PRIVATE_CONTEXTS.length]!.content },
  });
  if (r.privateContext?.detected) benignFlagged++;
}
await sim.close();

const canary = canaryFor("bench");
const profiles = PRIVATE_CONTEXTS.map((c) => ({ c, p: profilePrivateContent(c.content, canary) }));
let forms = 0;
let formsCaught = 0;
for (const { c, p } of profiles) {
  for (const form of LEAK_FORMS) {
    for (let seed = 1; seed <= 100; seed++) {
      forms++;
      if (detectLeak({ summary: leakText(c.content, form, new Rng(seed * 31 + form.length)) }, p)) formsCaught++;
    }
  }
}
let pairs = 0;
let pairsFlagged = 0;
const started = process.hrtime.bigint();
for (const answer of BENIGN_ANSWERS) {
  for (const { c, p } of profiles) {
    pairs++;
    if (detectLeak({ answer, note: `${c.id} follow-up` }, p)) pairsFlagged++;
  }
}
const usPerCheck = Number(process.hrtime.bigint() - started) / 1000 / pairs;
const profileStart = process.hrtime.bigint();
for (let i = 0; i < 1000; i++) profilePrivateContent(PRIVATE_CONTEXTS[i % PRIVATE_CONTEXTS.length]!.content, canary);
const usPerProfile = Number(process.hrtime.bigint() - profileStart) / 1000 / 1000;

console.log(
  table(
    ["attack category", "simulated leaks", "detected", "recall"],
    [...byCategory].map(([k, v]) => [k, v.leaked, v.caught, pct(v.caught / v.leaked)]),
  ),
);
console.log(
  table(
    ["measure", "n", "flagged", "rate"],
    [
      ["red team (client, simulator ground truth)", leaked, caught, pct(caught / leaked)],
      ["simulator leak forms, direct", forms, formsCaught, pct(formsCaught / forms)],
      ["benign inputs, model without the leak fault", BENIGN_INPUTS.length, benignFlagged, pct(benignFlagged / BENIGN_INPUTS.length)],
      ["benign answers x contexts, direct", pairs, pairsFlagged, pct(pairsFlagged / pairs)],
    ],
  ),
);
console.log(`detector: ${usPerProfile.toFixed(1)} us to profile a private context, ${usPerCheck.toFixed(1)} us per output checked`);
const result = {
  recall: caught / leaked,
  simulated_leaks: leaked,
  recall_direct_forms: formsCaught / forms,
  false_positive_inputs: benignFlagged / BENIGN_INPUTS.length,
  false_positive_answers: pairsFlagged / pairs,
  us_per_check: Number(usPerCheck.toFixed(1)),
};
console.log(`RESULT leaks ${JSON.stringify(result)}`);
