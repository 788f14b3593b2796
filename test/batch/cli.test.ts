// `ballast batch` end to end as a user runs it: bad lines stop before any request, a task whose fallback does
// not fit stops before any request, a dry run, a full run with its failures file and `stats --batch`, and
// Ctrl-C: in-flight rows finish, the resume command is printed, and running it completes the file.
import assert from "node:assert/strict";
import { type ChildProcess, execFile, spawn } from "node:child_process";
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { promisify } from "node:util";
import { type Simulator, startSimulator } from "../../src/simulator/index.js";
import { rows, tempDir } from "./helpers.js";

const root = new URL("../..", import.meta.url).pathname;
const bin = join(root, "bin/ballast.js");
const task = join(root, "test/fixtures/batch/task.ts");
let sim: Simulator;
before(async () => {
  sim = await startSimulator({
    seed: 21,
    requestLogLimit: 10_000,
    models: { "sim-slow": { ttftMs: 250 }, "sim-down": { faults: { http500: 1 } } },
  });
});
after(() => sim.close());

const env = (extra: Record<string, string> = {}) => ({ ...process.env, BALLAST_SIM_URL: sim.url, ...extra });
const run = (args: string[], extra?: Record<string, string>) =>
  promisify(execFile)(process.execPath, [bin, "batch", ...args], { cwd: root, env: env(extra) }).then(
    (r) => ({ code: 0, stdout: r.stdout, stderr: r.stderr }),
    (e: { code: number; stdout: string; stderr: string }) => ({ code: e.code, stdout: e.stdout, stderr: e.stderr }),
  );
const sentWith = (marker: string) => sim.requests.filter((r) => JSON.stringify(r.body ?? "").includes(marker)).length;
const jsonl = (path: string) =>
  readFileSync(path, "utf8")
    .trim()
    .split("\n")
    .filter(Boolean)
    .map((l) => JSON.parse(l));

function inputFile(dir: string, data: Array<{ id: number; input: string }>, extra: string[] = []) {
  const path = join(dir, "in.jsonl");
  writeFileSync(path, `${[...data.map((r) => JSON.stringify(r)), ...extra].join("\n")}\n`);
  return path;
}

describe("ballast batch", { concurrency: 4 }, () => {
  it("malformed lines with --on-bad-line stop: line numbers reported, nothing sent", async () => {
    const dir = tempDir("cli-bad");
    const data = rows(3).map((r) => ({ ...r, input: `${r.input} badline-run` }));
    const input = inputFile(dir, data, [
      "{not json",
      JSON.stringify({ input: "no id badline-run" }),
      JSON.stringify({ id: 1, input: "dup badline-run" }),
    ]);
    const r = await run([input, "--task", task, "--out", join(dir, "out.jsonl"), "--on-bad-line", "stop"]);
    assert.equal(r.code, 2);
    assert.match(r.stderr, /in\.jsonl:4: not JSON/);
    assert.match(r.stderr, /in\.jsonl:5: missing the "id" field/);
    assert.match(r.stderr, /in\.jsonl:6: duplicate id 1/);
    assert.equal(sentWith("badline-run"), 0);
    assert.equal(existsSync(join(dir, "out.jsonl")), false);
  });

  it("a task whose fallback does not fit stops before any request", async () => {
    const dir = tempDir("cli-fallback");
    const input = inputFile(dir, rows(2));
    const r = await run([input, "--task", join(root, "test/fixtures/batch/bad-fallback.ts"), "--out", join(dir, "out.jsonl")]);
    assert.equal(r.code, 2);
    assert.match(r.stderr, /failed to load: .*the fallback does not fit the schema/);
    const missing = await run([input, "--task", join(dir, "nope.ts"), "--out", join(dir, "out.jsonl")]);
    assert.equal(missing.code, 2);
    assert.match(missing.stderr, /task module .*nope\.ts failed to load/);
  });

  it("dry run, full run with failures file, stats --batch", async () => {
    const dir = tempDir("cli-run");
    const traces = join(dir, "traces.db");
    const data = rows(6).map((r) => ({ ...r, input: `${r.input} fullrun` }));
    const input = inputFile(dir, data, ["oops"]);
    const out = join(dir, "out.jsonl");
    const dry = await run([input, "--task", task, "--out", out, "--dry-run", "--json"]);
    assert.equal(dry.code, 0);
    const estimate = JSON.parse(dry.stdout.trim().split("\n").at(-1) as string);
    assert.equal(estimate.rows, 6);
    assert.equal(estimate.bad, 1);
    assert.ok(estimate.inputTokens > 0 && estimate.costUsd > 0);
    assert.equal(sentWith("fullrun"), 0, "a dry run sends nothing");

    const r = await run([input, "--task", task, "--out", out], { BATCH_TRACES: traces });
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stderr, /in\.jsonl:7: not JSON/);
    const lines = jsonl(out);
    assert.equal(lines.length, 6);
    for (const l of lines)
      for (const key of ["id", "value", "source", "model", "costUsd", "tokens", "errors", "rung"]) assert.ok(key in l, key);
    assert.equal(readFileSync(`${out}.failures.jsonl`, "utf8"), "");
    const batchId = /batch (b_\S+)\)/.exec(r.stderr)?.[1] as string;
    assert.ok(batchId, r.stderr);
    const stats = await promisify(execFile)(process.execPath, [bin, "stats", "--db", traces, "--batch", batchId, "--json"], { cwd: root });
    assert.equal(JSON.parse(stats.stdout).calls, 6);

    const down = await run([input, "--task", task, "--out", join(dir, "down.jsonl")], { BATCH_TASK_MODEL: "sim-down" });
    assert.equal(down.code, 0);
    assert.equal(jsonl(join(dir, "down.jsonl.failures.jsonl")).length, 6, "rows on the fallback are listed for a rerun");
  });

  it("Ctrl-C finishes in-flight rows, prints the resume command, and the resumed run completes", async () => {
    const dir = tempDir("cli-sigint");
    const data = rows(30).map((r) => ({ ...r, input: `${r.input} sigint-run` }));
    const input = inputFile(dir, data);
    const out = join(dir, "out.jsonl");
    const args = [bin, "batch", input, "--task", task, "--out", out, "--concurrency", "2"];
    const child: ChildProcess = spawn(process.execPath, args, { cwd: root, env: env({ BATCH_TASK_MODEL: "sim-slow" }) });
    let stderr = "";
    child.stderr?.on("data", (d: Buffer) => {
      stderr += d.toString();
    });
    const exited = new Promise<number | null>((resolve) => child.once("exit", (code) => resolve(code)));
    while (!existsSync(out) || jsonl(out).length < 2) await new Promise((r) => setTimeout(r, 20));
    child.kill("SIGINT");
    assert.equal(await exited, 130);
    assert.match(stderr, /to resume: ballast batch .*in\.jsonl --task .* --out .*out\.jsonl --concurrency 2/);
    const partial = jsonl(out).length;
    assert.ok(partial < 30);
    const db = join(dir, "out.jsonl.journal.db");
    assert.ok(existsSync(db));
    const sentBefore = sentWith("sigint-run");
    assert.ok(sentBefore - partial <= 0, "in-flight rows finished before exit (none left half-sent)");
    const again = await run([input, "--task", task, "--out", out, "--concurrency", "2"], { BATCH_TASK_MODEL: "sim-slow" });
    assert.equal(again.code, 0, again.stderr);
    assert.equal(jsonl(out).length, 30);
    assert.equal(sentWith("sigint-run"), 30, "no row sent twice");
  });
});
