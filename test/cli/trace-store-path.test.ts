// The trace-store commands given a --db that is not a trace store: a file that is not SQLite, an empty file or
// a directory is named with what was expected, exit 2 (a bad flag value), in one line without a stack; a
// missing store stays a failed command (exit 1), as before.
import assert from "node:assert/strict";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "node:test";
import { type CliRun, runCli } from "./run-cli.js";

const ballast = (args: string[]): Promise<CliRun> => runCli(args);

test("traces, feedback, stats and trace name a --db that is not a trace store, exit 2", async () => {
  const dir = mkdtempSync(join(tmpdir(), "ballast-db-path-"));
  const notes = join(dir, "notes.db");
  writeFileSync(notes, "a text file, not SQLite\n".repeat(10));
  const empty = join(dir, "empty.db");
  writeFileSync(empty, "");
  const cases: Array<[string[], RegExp]> = [
    [["traces", "--db", notes], /^--db .*notes\.db is not a SQLite database: expected a trace store Ballast wrote/m],
    [["feedback", "--db", notes], /^--db .*notes\.db is not a SQLite database: expected a trace store/m],
    [["stats", "--db", notes], /^--db .*notes\.db is not a SQLite database/m],
    [["trace", "abc", "--db", notes], /^--db .*notes\.db is not a SQLite database/m],
    [["traces", "--db", empty], /^--db .*empty\.db is an empty file: expected a trace store/m],
    [["traces", "--db", dir], /^--db .* is a directory: expected a trace store file/m],
  ];
  const results = await Promise.all(cases.map(([args]) => ballast(args)));
  results.forEach((r, i) => {
    const [args, said] = cases[i]!;
    assert.equal(r.code, 2, `${args.join(" ")}: ${r.stderr}`);
    assert.match(r.stderr, said, args.join(" "));
    assert.doesNotMatch(r.stderr, /^\s+at /m);
    assert.equal(r.stderr.trim().split("\n").length, 1, `one line: ${r.stderr}`);
  });

  const missing = await ballast(["traces", "--db", join(dir, "nope.db")]);
  assert.equal(missing.code, 1);
  assert.match(missing.stderr, /no trace store at .*nope\.db/);
});
