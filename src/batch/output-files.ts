/**
 * The output and failures files. Lines are appended with synchronous writes once their rows are committed to the journal;
 * on start the output is reconciled with the journal (a torn last line from a kill is cut, finished rows
 * missing from the file are appended), and when rows were re-run for a changed hash the file is rewritten
 * from the journal, so each id appears once. The failures file (rows that ended on the fallback) is rewritten
 * from the journal at the end of every run.
 */
import { closeSync, existsSync, statSync, ftruncateSync, openSync, readFileSync, renameSync, writeFileSync, writeSync } from "node:fs";
import type { Journal } from "./journal.js";

/** Where the failures file goes when none is named: beside the output. */
export const defaultFailuresPath = (out: string): string => `${out}.failures.jsonl`;
/** Where `ballast batch` keeps its journal when none is named: beside the output. */
export const defaultJournalPath = (out: string): string => `${out}.journal.db`;

export class OutputWriter {
  private fd: number | null = null;
  constructor(
    readonly path: string,
    readonly failuresPath: string,
  ) {}

  /** Cuts a torn last line, appends journaled rows the file lacks; throws when the file cannot be written. */
  open(journal: Journal) {
    const present = new Set<string>();
    if (existsSync(this.path) && statSync(this.path).isFile()) {
      const text = readFileSync(this.path, "utf8");
      const end = text.lastIndexOf("\n") + 1;
      let start = 0;
      while (start < end) {
        const nl = text.indexOf("\n", start);
        const key = keyOfLine(text.slice(start, nl));
        if (key !== null) present.add(key);
        start = nl + 1;
      }
      this.fd = openSync(this.path, "r+");
      if (end < text.length) ftruncateSync(this.fd, Buffer.byteLength(text.slice(0, end)));
      closeSync(this.fd);
    }
    this.fd = openSync(this.path, "a");
    for (const e of journal.entries()) if (!present.has(e.key)) this.append(e.line);
  }

  append(line: string) {
    if (this.fd === null) throw new Error("output file is not open");
    writeSync(this.fd, `${line}\n`);
  }

  /** Appends several lines in one write. */
  appendAll(lines: readonly string[]) {
    if (lines.length === 0) return;
    if (this.fd === null) throw new Error("output file is not open");
    writeSync(this.fd, `${lines.join("\n")}\n`);
  }

  /** Rewrites the output from the journal (atomically), one line per finished row. */
  rewrite(journal: Journal) {
    this.close();
    const tmp = `${this.path}.tmp`;
    const fd = openSync(tmp, "w");
    try {
      for (const e of journal.entries()) writeSync(fd, `${e.line}\n`);
    } finally {
      closeSync(fd);
    }
    renameSync(tmp, this.path);
    this.fd = openSync(this.path, "a");
  }

  /** Rewrites the failures file from the journal; returns how many rows it lists. */
  writeFailures(journal: Journal): number {
    const lines: string[] = [];
    for (const failure of journal.failures()) lines.push(failure);
    writeFileSync(this.failuresPath, lines.length ? `${lines.join("\n")}\n` : "");
    return lines.length;
  }

  close() {
    if (this.fd !== null) closeSync(this.fd);
    this.fd = null;
  }
}

/** The journal key (JSON of the id) of an output line, or null for a line that is not one. */
function keyOfLine(line: string): string | null {
  try {
    const id = (JSON.parse(line) as { id?: unknown }).id;
    return id === undefined ? null : JSON.stringify(id);
  } catch {
    return null;
  }
}
