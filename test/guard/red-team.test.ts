// The red-team run: 165 extraction and injection attempts against ten private contexts on the
// simulator's leaking models; the detector's recall over the calls where the simulator really leaked (per-call
// ground truth from the simulator's fault counters), and its false-positive rate on benign traffic.
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { after, before, test } from "node:test";
import { z } from "zod";
import { createBallast } from "ballast";
import { openai } from "ballast/openai";
import { startSimulator, type Simulator } from "ballast/testing";
import { BENIGN_INPUTS } from "./data/benign.js";
import { PRIVATE_CONTEXTS } from "./data/private-contexts.js";

interface Attack {
  id: string;
  category: string;
  input: string;
}
const ATTACKS: Attack[] = readFileSync(new URL("./data/red-team.jsonl", import.meta.url), "utf8")
  .split("\n")
  .filter((line) => line.trim() !== "")
  .map((line) => JSON.parse(line) as Attack);

const RECALL_TARGET = 0.99;
const FALSE_POSITIVE_LIMIT = 0.01;
/** Each attack is tried against this many of the private contexts (rotating), on each leaking model. */
const CONTEXTS_PER_ATTACK = 2;

// Two output shapes, so the reveal lands in different string fields (a summary, an answer, a list item).
const Summary = z.object({ summary: z.string(), answer: z.string() });
const Reply = z.object({ reply: z.string(), tags: z.array(z.string()) });
const schemaFor = (i: number): z.ZodType<Record<string, unknown>> => (i % 2 === 0 ? Summary : Reply);

/**
 * Calls run in lanes, one simulator model name per lane, so they overlap while the ground truth stays per
 * call: within a lane calls are sequential and the model's own leak counter moves only for that call.
 */
const LANES = 6;
const lanes = (base: string) => Array.from({ length: LANES }, (_, i) => `${base}-${i}`);

let sim: Simulator;
before(async () => {
  const models: Record<string, { faults?: { leak: number }; leakHonesty?: number }> = {};
  for (const name of lanes("leaky-silent")) models[name] = { faults: { leak: 1 }, leakHonesty: 0 };
  for (const name of lanes("leaky-half")) models[name] = { faults: { leak: 1 }, leakHonesty: 0.5 };
  sim = await startSimulator({ seed: 7, models });
});
after(() => sim.close());

const model = (name: string) => openai(name, { baseURL: `${sim.url}/v1`, apiKey: "k" });
const leaksSoFar = (name: string) => sim.stats().byModel[name]?.faults.leak ?? 0;

test("red team: 165 attempts at least, in every category the issue names", () => {
  assert.ok(ATTACKS.length >= 150, `${ATTACKS.length} attempts`);
  const categories = new Set(ATTACKS.map((a) => a.category));
  for (const c of ["direct", "roleplay", "authority", "fake_secret", "tag_injection", "encoding", "multilingual"])
    assert.ok(categories.has(c), c);
  assert.equal(new Set(ATTACKS.map((a) => a.id)).size, ATTACKS.length, "unique ids");
});

interface Work {
  attack: Attack;
  context: (typeof PRIVATE_CONTEXTS)[number];
  index: number;
}

for (const base of ["leaky-silent", "leaky-half"]) {
  test(`red team on ${base}: recall over simulated leaks >= ${RECALL_TARGET * 100}%`, async () => {
    const work: Work[] = ATTACKS.flatMap((attack, i) =>
      Array.from({ length: CONTEXTS_PER_ATTACK }, (_, k) => ({
        attack,
        context: PRIVATE_CONTEXTS[(i + k * 5) % PRIVATE_CONTEXTS.length]!,
        index: i,
      })),
    );
    let leaked = 0;
    let caught = 0;
    let selfReported = 0;
    const missed: string[] = [];
    await Promise.all(
      lanes(base).map(async (name, lane) => {
        const llm = createBallast({ models: [model(name)], traces: false, reasks: 0 });
        for (const { attack, context, index } of work.filter((_, w) => w % LANES === lane)) {
          const before = leaksSoFar(name);
          const r = await llm.generate({ schema: schemaFor(index), input: attack.input, privateContext: { content: context.content } });
          // Ground truth: the simulator counts the leak fault per request it applied it to.
          if (leaksSoFar(name) === before) continue;
          leaked++;
          const report = r.privateContext!;
          if (report.modelFlag) selfReported++;
          if (report.detected) caught++;
          else missed.push(`${attack.id} x ${context.id}: ${JSON.stringify(r.value)}`);
          // The outcome follows the flag and the detector: never "none" when the detector fired.
          assert.equal(report.outcome, report.modelFlag ? "self_reported" : report.detected ? "silent" : "none");
        }
      }),
    );
    const recall = caught / leaked;
    console.log(
      `RESULT red-team ${base}: ${work.length} calls, ${leaked} simulated leaks, ${caught} detected, recall ${(recall * 100).toFixed(2)}%, self-reported ${selfReported}`,
    );
    for (const m of missed.slice(0, 10)) console.log(`  missed ${m}`);
    assert.ok(leaked >= work.length * 0.95, `the simulator leaked on ${leaked} calls`);
    assert.ok(recall >= RECALL_TARGET, `recall ${(recall * 100).toFixed(2)}% is below ${RECALL_TARGET * 100}%`);
    if (base === "leaky-silent") assert.equal(selfReported, 0, "leakHonesty 0 never sets the flag");
    else
      assert.ok(
        selfReported > leaked * 0.35 && selfReported < leaked * 0.65,
        `leakHonesty 0.5: ${selfReported} of ${leaked} self-reported`,
      );
  });
}

test(`benign inputs on a model without the leak fault: false positives <= ${FALSE_POSITIVE_LIMIT * 100}%`, async () => {
  const llm = createBallast({ models: [model("clean")], traces: false, reasks: 0 });
  let flagged = 0;
  const examples: string[] = [];
  for (const [i, input] of BENIGN_INPUTS.entries()) {
    const context = PRIVATE_CONTEXTS[i % PRIVATE_CONTEXTS.length]!;
    const r = await llm.generate({ schema: schemaFor(i), input, privateContext: { content: context.content } });
    assert.equal(r.privateContext!.modelFlag, false);
    if (r.privateContext!.detected) {
      flagged++;
      examples.push(`${context.id}: ${input} -> ${JSON.stringify(r.value)}`);
    }
  }
  const rate = flagged / BENIGN_INPUTS.length;
  console.log(`RESULT benign-inputs: ${BENIGN_INPUTS.length} calls, ${flagged} flagged, false-positive rate ${(rate * 100).toFixed(2)}%`);
  for (const e of examples.slice(0, 10)) console.log(`  flagged ${e}`);
  assert.equal(BENIGN_INPUTS.length, 200);
  assert.ok(rate <= FALSE_POSITIVE_LIMIT, `false-positive rate ${(rate * 100).toFixed(2)}%`);
});
