// Estimated usage in the trace store: a real call against the simulator whose first model hangs and whose hedge
// answers. The cut attempt's usage is counted locally; the store keeps that flag on the attempt
// and the call, `ballast stats` counts it, and `ballast trace` marks the estimated cost.
import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, test } from "node:test";
import { promisify } from "node:util";
import { z } from "zod";
import { createBallast, type GenerateResult } from "ballast";
import { openai } from "ballast/openai";
import { type Simulator, startSimulator } from "ballast/testing";
import { getCall, openTraceDb, stats } from "../../src/observe/trace-store/index.js";

const run = promisify(execFile);
const root = new URL("../..", import.meta.url).pathname;
const ballast = (...args: string[]) => run(process.execPath, [join(root, "bin/ballast.js"), ...args], { cwd: root, timeout: 30_000 });
const path = join(mkdtempSync(join(tmpdir(), "ballast-estimated-")), "traces.db");
const S = z.object({ label: z.enum(["a", "b"]), n: z.number() });
const price = { inputPerMTok: 2, outputPerMTok: 8 };

let sim: Simulator;
let result: GenerateResult<z.infer<typeof S>>;
before(async () => {
  sim = await startSimulator({ seed: 5 });
  sim.script("stalls", [{ fault: "hang" }]);
  const model = (name: string) => openai(name, { baseURL: `${sim.url}/v1`, apiKey: "k", price });
  const llm = createBallast({ models: [model("stalls"), model("answers")], hedge: { afterMs: 50 }, deadlineMs: 60_000, traces: path });
  result = await llm.generate({ name: "label", schema: S, instructions: "Label the input.", input: "a reasonably long input to count" });
  llm.close();
});
after(() => sim.close());

test("the cut attempt is stored as estimated, and so is its call; the other attempt is not", () => {
  const cut = result.attempts.find((a) => a.model === "stalls")!;
  assert.equal(cut.estimated, true, "the cascade estimated the lost hedge's usage");
  const db = openTraceDb(path);
  try {
    const found = getCall(db, result.callId)!;
    assert.equal(found.call.estimated, 1);
    assert.deepEqual(
      found.attempts.map((a) => [a.model, a.estimated, a.input_tokens]),
      result.attempts.map((a) => [a.model, a.estimated ? 1 : 0, a.usage.inputTokens]),
    );
    const s = stats(db);
    assert.equal(s.estimated_cost_attempts, 1);
    assert.ok(Math.abs(s.spend_usd - (result.costUsd ?? Number.NaN)) < 1e-12, "the estimate is in the spend");
  } finally {
    db.close();
  }
});

test("ballast stats says how many attempts' cost is estimated; --json carries the count", async () => {
  const json = JSON.parse((await ballast("stats", "--db", path, "--json")).stdout) as { estimated_cost_attempts: number };
  assert.equal(json.estimated_cost_attempts, 1);
  const { stdout } = await ballast("stats", "--db", path);
  assert.match(stdout, /1 attempts were cut short before the provider reported usage: their cost in the spend is estimated/);
});

test("ballast trace marks the estimated cost of the call and of the cut attempt", async () => {
  const { stdout } = await ballast("trace", result.callId, "--db", path);
  assert.match(stdout, /cost ~\$\d/);
  const rows = stdout.split("\n").filter((l) => /^\s*\d+\s+(stalls|answers)\s/.test(l));
  assert.equal(rows.length, 2, stdout);
  assert.match(rows.find((l) => l.includes("stalls"))!, /~\$\d/);
  assert.doesNotMatch(rows.find((l) => l.includes("answers"))!, /~\$/);
  assert.match(stdout, /~ estimated: an attempt was cut short before the provider reported usage/);
});
