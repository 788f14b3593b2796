// The queue flags' manners on the command line: options that belong to the workers are refused on the
// enqueuer, queue-only options without --queue are refused, and a worker's bad number or URL is a one-line
// usage error (exit 2) before anything connects.
import assert from "node:assert/strict";
import { join } from "node:path";
import { test } from "node:test";
import { rows, tempDir } from "../batch/helpers.js";
import { ballast, exitOf, inputFile, taskModule } from "./helpers.js";

const env = { BALLAST_SIM_URL: "http://127.0.0.1:9" };
const run = async (args: string[]) => {
  const child = ballast(args, env);
  const code = await exitOf(child, 60_000);
  return { code, stderr: child.stderr() };
};

test("ballast batch: worker options with --queue, and queue options without it, are usage errors", async () => {
  const dir = tempDir("queue-cli-options");
  const input = inputFile(dir, rows(2));
  const out = join(dir, "out.jsonl");
  const queued = ["batch", input, "--task", taskModule, "--out", out, "--queue", "redis://127.0.0.1:9"];
  const concurrency = await run([...queued, "--concurrency", "4"]);
  assert.equal(concurrency.code, 2);
  assert.match(concurrency.stderr, /--concurrency does not apply .*set concurrency and --rows-per-minute on the workers/);
  const mode = await run([...queued, "--mode", "batch"]);
  assert.equal(mode.code, 2);
  assert.match(mode.stderr, /--mode does not apply/);
  const alone = await run(["batch", input, "--task", taskModule, "--out", out, "--queue-name", "q"]);
  assert.equal(alone.code, 2);
  assert.match(alone.stderr, /--queue-name needs --queue/);
});

test("ballast worker: a bad number or URL is exit 2 with one line", async () => {
  const zero = await run(["worker", "--queue", "redis://127.0.0.1:9", "--task", taskModule, "--concurrency", "0"]);
  assert.equal(zero.code, 2);
  assert.match(zero.stderr, /expected a whole number from 1 to 10000, got 0/);
  const http = await run(["worker", "--queue", "http://127.0.0.1:9", "--task", taskModule]);
  assert.equal(http.code, 2);
  assert.match(http.stderr, /not a redis:\/\/ or rediss:\/\/ URL/);
  assert.doesNotMatch(http.stderr, /^\s+at /m);
});
