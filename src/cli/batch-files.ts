/**
 * The files one `ballast batch` touches (the input, --out, the failures file, the journal) must be four
 * different files: an output or journal that is the input would be written into while it is read. Two paths
 * are the same file when they reach the same inode (links included) or, for a file not created yet, the same
 * real path.
 */
import { realpathSync, statSync } from "node:fs";
import { basename, dirname, join, resolve } from "node:path";
import { defaultFailuresPath, defaultJournalPath } from "../batch/index.js";

interface BatchFile {
  /** How the message names it: "the input in.jsonl", "--out out.jsonl", "the journal out.jsonl.journal.db (beside --out)". */
  label: string;
  path: string;
  /** The flag that moves it ("--journal"); none for the input, the file the run reads. */
  flag?: string;
}

/** The real path of `path`, or of its folder when the file does not exist yet (its plain absolute path when neither does). */
function realPath(path: string): string {
  const absolute = resolve(path);
  try {
    return realpathSync(absolute);
  } catch {
    try {
      return join(realpathSync(dirname(absolute)), basename(absolute));
    } catch {
      return absolute;
    }
  }
}

export function sameFile(a: string, b: string): boolean {
  try {
    const [x, y] = [statSync(a), statSync(b)];
    return x.dev === y.dev && x.ino === y.ino;
  } catch {
    return realPath(a) === realPath(b); // one of them does not exist yet
  }
}

/** The files of one run as the command line names them: --failures and --journal default beside --out. */
export interface BatchPaths {
  input: string;
  out: string;
  failures?: string;
  journal?: string;
}

/** Why the run's files cannot be used together (the first two that are one file), or null when all differ. */
export function batchFileClash(paths: BatchPaths): string | null {
  const failures = paths.failures ?? defaultFailuresPath(paths.out);
  const journal = paths.journal ?? defaultJournalPath(paths.out);
  const files: BatchFile[] = [
    { label: `the input ${paths.input}`, path: paths.input },
    { label: `--out ${paths.out}`, path: paths.out, flag: "--out" },
    {
      label: paths.failures ? `--failures ${failures}` : `the failures file ${failures} (beside --out)`,
      path: failures,
      flag: "--failures",
    },
    { label: paths.journal ? `--journal ${journal}` : `the journal ${journal} (beside --out)`, path: journal, flag: "--journal" },
  ];
  for (let i = 0; i < files.length; i++) {
    for (let j = i + 1; j < files.length; j++) {
      const [a, b] = [files[i]!, files[j]!];
      if (!sameFile(a.path, b.path)) continue;
      const why = !a.flag || !b.flag ? "the run would write into the file it reads" : "each needs a file of its own";
      return `${a.label} and ${b.label} are the same file: ${why}; pass another ${b.flag ?? a.flag}`;
    }
  }
  return null;
}
