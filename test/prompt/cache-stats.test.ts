// Cache-busters reach the trace store and `ballast stats`: per task, the cached-input share and the count
// of flagged calls with the section that broke the prefix.
import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, test } from "node:test";
import { promisify } from "node:util";
import { createBallast } from "ballast";
import { openai } from "ballast/openai";
import { type Simulator, startSimulator } from "ballast/testing";
import { openTraceDb, stats } from "../../src/observe/index.js";
import { bustedInstructions, INSTRUCTIONS, inputOf, Review } from "./workload.js";

let sim: Simulator;
const dir = mkdtempSync(join(tmpdir(), "ballast-cache-stats-"));
const db = join(dir, "traces.db");
before(async () => {
  sim = await startSimulator({ seed: 5 });
  const llm = createBallast({ models: [openai("gpt-traced", { baseURL: `${sim.url}/v1`, apiKey: "test" })], traces: db, reasks: 0 });
  const stable = llm.task({ name: "stable-task", schema: Review, instructions: INSTRUCTIONS });
  for (let i = 0; i < 30; i++) await stable(inputOf(i));
  for (let i = 0; i < 30; i++)
    await llm.generate({
      name: "busted-task",
      schema: Review,
      instructions: bustedInstructions(1_700_000_000_000 + i * 60_000),
      input: inputOf(i),
    });
  llm.close();
});
after(async () => {
  await sim.close();
  rmSync(dir, { recursive: true, force: true });
});

test("stats: cached-input share and cache-buster count per task", () => {
  const handle = openTraceDb(db);
  try {
    const s = stats(handle);
    assert.equal(s.cache_busters, 29);
    const byName = new Map(s.tasks.map((t) => [t.task, t]));
    const good = byName.get("stable-task")!;
    const bad = byName.get("busted-task")!;
    assert.equal(good.calls, 30);
    assert.equal(good.cache_busters, 0);
    assert.ok(good.cached_input_share! > 0.85, `stable share ${good.cached_input_share}`);
    assert.equal(bad.calls, 30);
    assert.equal(bad.cache_busters, 29);
    assert.deepEqual(bad.busted_sections, ["instructions"]);
    assert.ok(bad.tokens_lost / bad.cache_busters > 1500);
    assert.ok(bad.cached_input_share! < 0.05);
  } finally {
    handle.close();
  }
});

test("ballast stats prints the per-task prompt-cache table", async () => {
  const { stdout } = await promisify(execFile)(process.execPath, ["bin/ballast.js", "stats", "--db", db], {
    cwd: new URL("../..", import.meta.url).pathname,
  });
  assert.match(stdout, /tasks \(prompt cache\):/);
  assert.match(stdout, /busted-task\s+30\s+[\d.]+%\s+29\s+instructions\s+~\d+/);
  assert.match(stdout, /stable-task\s+30\s+[\d.]+%\s+0\s+-\s+-/);
});
