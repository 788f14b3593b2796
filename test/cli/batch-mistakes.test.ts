// `ballast batch` mistakes as a user makes them: every bad flag value is a usage error (exit 2, one line naming
// the flag), an --out, failures file or --journal that is the input is refused before anything is written, a
// journal that is not SQLite is named, and a .ts task on a Node without a TypeScript loader says what to do.
import assert from "node:assert/strict";
import { existsSync, linkSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { after, before, test } from "node:test";
import { type Simulator, startSimulator } from "../../src/simulator/index.js";
import { rows, tempDir } from "../batch/helpers.js";
import { type CliRun, root, runCli } from "./run-cli.js";

const task = join(root, "test/fixtures/batch/task.ts");
let sim: Simulator;
before(async () => {
  sim = await startSimulator({ seed: 23, requestLogLimit: 10_000 });
});
after(() => sim.close());

/**
 * Runs `ballast <args>`: from the sources ("dev", BALLAST_DEV=1), or from dist/ under a plain node ("plain"), or
 * from dist/ with tsx preloaded through NODE_OPTIONS ("tsx", as the hint tells a user to).
 */
function ballast(args: string[], how: "dev" | "plain" | "tsx" = "dev"): Promise<CliRun> {
  const { BALLAST_DEV: _dev, NODE_OPTIONS: _options, ...plain } = process.env;
  const env = {
    ...plain,
    BALLAST_SIM_URL: sim.url,
    ...(how === "dev" ? { BALLAST_DEV: "1" } : how === "tsx" ? { NODE_OPTIONS: "--import tsx" } : {}),
  };
  return runCli(args, { env });
}

const noStack = (stderr: string) => assert.doesNotMatch(stderr, /^\s+at /m, `no stack trace:\n${stderr}`);
const sentWith = (marker: string) => sim.requests.filter((r) => JSON.stringify(r.body ?? "").includes(marker)).length;

function inputFile(dir: string, marker: string): string {
  const path = join(dir, "in.jsonl");
  writeFileSync(
    path,
    `${rows(3)
      .map((r) => JSON.stringify({ ...r, input: `${r.input} ${marker}` }))
      .join("\n")}\n`,
  );
  return path;
}

test("every bad flag value is a usage error: exit 2, one line naming the flag", async () => {
  const dir = tempDir("cli-flags");
  const input = inputFile(dir, "flags-run");
  const base = ["batch", input, "--task", task, "--out", join(dir, "out.jsonl")];
  const cases: Array<[string[], RegExp]> = [
    [["--concurrency", "0"], /--concurrency.*'0'.*whole number >= 1/],
    [["--concurrency", "2.5"], /--concurrency.*whole number/],
    [["--budget", "-1"], /--budget.*'-1'.*number > 0/],
    [["--rpm", "0"], /--rpm.*'0'.*number > 0/],
    [["--tpm", "lots"], /--tpm.*'lots'.*number > 0/],
    [["--grace-ms", "-5"], /--grace-ms.*whole number >= 0/],
    [["--mode", "turbo"], /--mode.*'turbo'.*live, batch, auto/],
    [["--on-bad-line", "maybe"], /--on-bad-line.*'maybe'.*skip, stop/],
    [["--queue", "redis://127.0.0.1:9", "--attempts", "0"], /--attempts.*'0'.*from 1 to 100/],
  ];
  const results = await Promise.all(cases.map(([extra]) => ballast([...base, ...extra])));
  results.forEach((r, i) => {
    const [extra, said] = cases[i]!;
    assert.equal(r.code, 2, `${extra.join(" ")}: ${r.stderr}`);
    assert.match(r.stderr, said, extra.join(" "));
    noStack(r.stderr);
  });
  assert.equal(sentWith("flags-run"), 0);
  assert.equal(existsSync(join(dir, "out.jsonl")), false);
});

test("an --out, failures file or --journal that is the input is refused, the input left as it was", async () => {
  const dir = tempDir("cli-same-file");
  const input = inputFile(dir, "same-file-run");
  const before = readFileSync(input, "utf8");
  const linked = join(dir, "linked.jsonl");
  linkSync(input, linked);
  const cases: Array<[string[], RegExp]> = [
    [
      ["--out", input],
      /the input .*in\.jsonl and --out .*in\.jsonl are the same file: the run would write into the file it reads; pass another --out/,
    ],
    [["--out", join(dir, ".", "sub", "..", "in.jsonl")], /are the same file.*pass another --out/],
    [["--out", linked], /the input .*in\.jsonl and --out .*linked\.jsonl are the same file/],
    [["--out", join(dir, "out.jsonl"), "--journal", input], /and --journal .*in\.jsonl are the same file.*pass another --journal/],
    [["--out", join(dir, "out.jsonl"), "--failures", input], /and --failures .*in\.jsonl are the same file.*pass another --failures/],
    [
      ["--out", join(dir, "out.jsonl"), "--journal", join(dir, "out.jsonl")],
      /--out .*out\.jsonl and --journal .*out\.jsonl are the same file: each needs a file of its own/,
    ],
  ];
  const results = await Promise.all(cases.map(([extra]) => ballast(["batch", input, "--task", task, ...extra])));
  results.forEach((r, i) => {
    const [extra, said] = cases[i]!;
    assert.equal(r.code, 2, `${extra.join(" ")}: ${r.stderr}`);
    assert.match(r.stderr, said);
    noStack(r.stderr);
  });
  // the failures file beside --out: `--out x` puts it at x.failures.jsonl, here the input
  const rerun = join(dir, "out.jsonl.failures.jsonl");
  writeFileSync(rerun, before);
  const derived = await ballast(["batch", rerun, "--task", task, "--out", join(dir, "out.jsonl")]);
  assert.equal(derived.code, 2);
  assert.match(
    derived.stderr,
    /the failures file .*out\.jsonl\.failures\.jsonl \(beside --out\) are the same file.*pass another --failures/,
  );

  assert.equal(readFileSync(input, "utf8"), before, "the input is untouched");
  assert.equal(sentWith("same-file-run"), 0);
  assert.equal(existsSync(join(dir, "out.jsonl")), false);
});

test("a --journal that is not SQLite, or a directory, is named: exit 2, nothing sent", async () => {
  const dir = tempDir("cli-journal");
  const input = inputFile(dir, "journal-run");
  const notes = join(dir, "notes.db");
  writeFileSync(notes, "not a database, just notes\n");
  const out = join(dir, "out.jsonl");
  for (const extra of [[], ["--dry-run"]]) {
    const r = await ballast(["batch", input, "--task", task, "--out", out, "--journal", notes, ...extra]);
    assert.equal(r.code, 2, r.stderr);
    assert.match(r.stderr, /^ballast batch: journal .*notes\.db is not a SQLite database .*expected a journal an earlier batch run wrote/m);
    noStack(r.stderr);
  }
  const folder = await ballast(["batch", input, "--task", task, "--out", out, "--journal", dir]);
  assert.equal(folder.code, 2);
  assert.match(folder.stderr, /journal .* is a directory: expected a SQLite file/);
  assert.equal(readFileSync(notes, "utf8"), "not a database, just notes\n");
  assert.equal(sentWith("journal-run"), 0);
});

test("a .ts task on a Node without a TypeScript loader says what to do, and what it says works", async () => {
  assert.ok(existsSync(join(root, "dist/cli/main.js")), "dist/ is built (npm run build)");
  const dir = tempDir("cli-ts-task");
  const input = inputFile(dir, "ts-task-run");
  const args = ["batch", input, "--task", task, "--out", join(dir, "out.jsonl"), "--dry-run", "--json"];
  const r = await ballast(args, "plain");
  assert.equal(r.code, 2, r.stderr);
  assert.match(r.stderr, /task module .*task\.ts failed to load: Unknown file extension "\.ts"/);
  assert.match(r.stderr, /run ballast under a TypeScript loader \(NODE_OPTIONS="--import tsx" ballast \.\.\./);
  assert.match(r.stderr, /compile the task to JavaScript, or write it as \.mjs/);
  noStack(r.stderr);

  const loaded = await ballast(args, "tsx");
  assert.equal(loaded.code, 0, loaded.stderr);
  assert.equal(JSON.parse(loaded.stdout.trim().split("\n").at(-1) as string).rows, 3);

  const help = await ballast(["batch", "--help"], "plain");
  assert.match(help.stdout, /NODE_OPTIONS="--import tsx" ballast batch/);
  assert.match(
    help.stdout,
    /Exit codes: 0 every row finished; 1 the run failed[\s\S]*2 a usage mistake[\s\S]*3 the budget was reached; 130 interrupted/,
  );
});
