// The two CLI commands of the kit: `ballast lint` over a module's exported schemas, and `ballast feedback`
// over a trace store filled by calls with promptFeedback on (similar complaints clustered, example calls).
import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, test } from "node:test";
import { promisify } from "node:util";
import { z } from "zod";
import { createBallast } from "ballast";
import { openai } from "ballast/openai";
import { startSimulator, type Simulator } from "ballast/testing";

const run = promisify(execFile);
const root = new URL("../..", import.meta.url).pathname;
const cli = (...args: string[]) =>
  run(process.execPath, [join(root, "bin/ballast.js"), ...args], { cwd: root }).then(
    (r) => ({ code: 0, stdout: r.stdout, stderr: r.stderr }),
    (e: { code: number; stdout: string; stderr: string }) => ({ code: e.code, stdout: e.stdout, stderr: e.stderr }),
  );

let sim: Simulator;
before(async () => {
  sim = await startSimulator({ seed: 2 });
});
after(() => sim.close());

test("ballast lint: every exported schema, findings with paths and fixes, exit 1 on warnings", async () => {
  const r = await cli("lint", "test/schema-kit/fixtures/schemas.ts", "--provider", "openai", "--json");
  assert.equal(r.code, 1, r.stderr);
  const report = JSON.parse(r.stdout)["test/schema-kit/fixtures/schemas.ts"];
  assert.deepEqual(Object.keys(report).sort(), ["Bad", "Good", "rubric.schema"]);
  assert.deepEqual(report.Good, []);
  assert.deepEqual(report["rubric.schema"], []);
  const bad = report.Bad.map((w: { rule: string; path: string }) => `${w.rule}@${w.path}`);
  assert.ok(bad.includes("reasoning_after_answer@reasoning") && bad.includes("score_without_rubric@confidence_score"), bad.join());
  const text = await cli("lint", "test/schema-kit/fixtures/schemas.ts");
  assert.match(text.stdout, /fix: move "reasoning" to the first field/);
  assert.match(text.stdout, /3 schema\(s\), 2 warning\(s\)/);
});

test("ballast feedback: complaints per task, similar ones clustered, most frequent first, with example calls", async () => {
  const path = join(mkdtempSync(join(tmpdir(), "ballast-feedback-")), "traces.db");
  const model = openai("feedback-model", { baseURL: `${sim.url}/v1`, apiKey: "test" });
  const llm = createBallast({ models: [model], traces: path });
  const Out = z.object({ label: z.string().describe("the label") });
  const classify = llm.task({
    name: "classify",
    schema: Out,
    instructions: "Label it. Be brief but explain in detail.",
    promptFeedback: true,
  });
  const complaints = [
    "The instructions ask to be brief but also to explain in detail, which is contradictory.",
    "Instructions are contradictory: be brief but explain in detail.",
    "contradictory instructions: brief but explain in detail",
    "No list of allowed labels was given.",
    null,
  ];
  sim.script(
    "feedback-model",
    complaints.map((c) => ({ json: { label: "x", prompt_feedback: c } })),
  );
  const results: Array<{ callId: string; promptFeedback?: string | null }> = [];
  for (let i = 0; i < complaints.length; i++) results.push(await classify(`item ${i}`));
  assert.equal(results[0]!.promptFeedback, complaints[0]);
  llm.close();

  const r = await cli("feedback", "--db", path, "--json");
  assert.equal(r.code, 0, r.stderr);
  const [task] = JSON.parse(r.stdout);
  assert.equal(task.task, "classify");
  assert.equal(task.calls, 5);
  assert.equal(task.with_feedback, 4);
  assert.equal(task.clusters.length, 2);
  assert.equal(task.clusters[0].count, 3);
  assert.match(task.clusters[0].text, /contradictory/i);
  assert.equal(task.clusters[0].variants, 3);
  assert.ok(task.clusters[0].examples.every((id: string) => results.slice(0, 3).some((x) => x.callId === id)));
  assert.equal(task.clusters[1].count, 1);
  const text = await cli("feedback", "--db", path, "--task", "classify");
  assert.match(text.stdout, /classify: 4 of 5 calls left feedback/);
});
