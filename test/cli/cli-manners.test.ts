// The command line's manners, as a user at a shell meets them: a bare sentence is not JSON (exit 1),
// --schema takes a module exporting a zod schema, --version, numeric and enum options checked with a
// one-line error and exit 2, and never a stack trace for a user's mistake.
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "node:test";
import { type CliRun, root, runCli } from "./run-cli.js";

const ballast = (args: string[], stdin = ""): Promise<CliRun> => runCli(args, { stdin });

const noStack = (stderr: string) => assert.doesNotMatch(stderr, /^\s+at /m, `no stack trace:\n${stderr}`);

test("repair: a bare sentence holds no JSON: exit 1 with the reason, and ok:false in --jsonl", async () => {
  const r = await ballast(["repair"], "I cannot help with that request.");
  assert.equal(r.code, 1);
  assert.equal(r.stdout, "");
  assert.match(r.stderr, /no JSON in the input/);
  noStack(r.stderr);

  const batch = await ballast(["repair", "--jsonl"], '{"input": "hello world"}\n{"input": "{\'a\': 1,"}\n{"input": "42"}\n');
  assert.equal(batch.code, 0);
  const lines = batch.stdout
    .trim()
    .split("\n")
    .map((l) => JSON.parse(l));
  assert.equal(lines[0].ok, false);
  assert.match(lines[0].error, /no JSON/);
  assert.deepEqual(lines[1].value, { a: 1 });
  assert.deepEqual(lines[2], { ok: true, value: 42, steps: [] });
});

test("repair --schema takes a .ts module exporting a zod schema; file.ts#Name picks one of several", async () => {
  const r = await ballast(["repair", "--schema", "test/fixtures/schemas/rating.ts"], "Here: {'score': '7', 'label': 'GOOD'}");
  assert.equal(r.code, 0, r.stderr);
  assert.deepEqual(JSON.parse(r.stdout), { score: 7, label: "good" });

  const several = await ballast(["repair", "--schema", "test/schema-kit/fixtures/schemas.ts"], "{}");
  assert.equal(several.code, 2);
  assert.match(several.stderr, /several schemas .*#Name/);
  noStack(several.stderr);

  const missing = await ballast(["repair", "--schema", "test/fixtures/schemas/rating.ts#Nope"], "{}");
  assert.equal(missing.code, 2);
  assert.match(missing.stderr, /no exported schema "Nope" \(exports: Rating\)/);
});

test("--version prints the package version", async () => {
  const { version } = JSON.parse(readFileSync(join(root, "package.json"), "utf8")) as { version: string };
  const r = await ballast(["--version"]);
  assert.equal(r.code, 0);
  assert.equal(r.stdout.trim(), version);
});

test("numeric and enum options are checked: one line naming the option, exit 2, no stack", async () => {
  const cases: Array<[string[], RegExp]> = [
    [["traces", "--limit", "abc"], /--limit.*'abc'.*whole number/],
    [["traces", "--limit", "0"], /--limit.*>= 1/],
    [["lint", "-p", "gemini", "test/fixtures/schemas/rating.ts"], /gemini.*openai, anthropic/],
    [["stats", "--by", "week"], /week.*model, day/],
    [["feedback", "--similarity", "2"], /--similarity.*0 to 1/],
    [["simulate", "--port", "70000"], /--port.*0 to 65535/],
    [["demo", "--limit", "1.5"], /--limit.*whole number/],
    [["repair", "--nope"], /unknown option '--nope'/],
  ];
  const results = await Promise.all(cases.map(([args]) => ballast(args)));
  results.forEach((r, i) => {
    const [args, said] = cases[i]!;
    assert.equal(r.code, 2, `${args.join(" ")}: ${r.stderr}`);
    assert.match(r.stderr, said, args.join(" "));
    noStack(r.stderr);
  });
});

test("a command that fails on the user's input says why in one line, without a stack", async () => {
  const r = await ballast(["traces", "--db", join(tmpdir(), "ballast-no-such-dir", "traces.db")]);
  assert.equal(r.code, 1);
  assert.match(r.stderr, /no trace store at/);
  noStack(r.stderr);
});
