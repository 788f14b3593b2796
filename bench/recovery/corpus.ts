/**
 * Where the recovery bench finds the public corpora: `BALLAST_CORPUS_DIR` when set, else the copy inside
 * the repository (test/fixtures/corpus), else the workspace's shared folder beside or above the checkout.
 * Scoring stays the tests' (corpus-helpers.ts); only the location is decided here.
 */
import { existsSync, readFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import type { CorpusCase } from "../../test/recovery/corpus-helpers.js";

const repo = resolve(dirname(fileURLToPath(import.meta.url)), "../..");

function candidates(): string[] {
  const dirs = [join(repo, "test/fixtures/corpus")];
  // a worktree may sit a level deeper than the checkout the shared folder belongs to
  for (let up = repo, i = 0; i < 3; i++, up = dirname(up)) dirs.push(join(dirname(up), "shared/corpus"));
  const chosen = process.env.BALLAST_CORPUS_DIR;
  return chosen ? [chosen] : dirs;
}

export function loadCorpus(name: string): CorpusCase[] {
  const dir = candidates().find((d) => existsSync(join(d, name)));
  if (dir === undefined) {
    throw new Error(`corpus ${name} not found; set BALLAST_CORPUS_DIR (looked in: ${candidates().join(", ")})`);
  }
  return readFileSync(join(dir, name), "utf8")
    .split("\n")
    .filter((line) => line.trim() !== "")
    .map((line) => JSON.parse(line) as CorpusCase);
}
