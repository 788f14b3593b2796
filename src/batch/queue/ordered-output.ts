/**
 * The output file of a distributed batch, in input order whatever order the workers finish in. Rows are
 * registered as they are read; a row is written once it and every row before it are settled (in the journal,
 * or failed for good). The file is rewritten from the start on every run: the journal is the record, the file
 * its ordered copy.
 */
import { closeSync, openSync, writeSync } from "node:fs";
import type { Journal } from "../journal.js";

export class OrderedOutput {
  private fd: number | null;
  /** Journal keys in input order, from `start` on not written yet. */
  private order: string[] = [];
  private start = 0;
  private readonly finished = new Set<string>();
  private readonly failed = new Set<string>();

  constructor(
    private readonly journal: Journal,
    path: string | null,
  ) {
    this.fd = path === null ? null : openSync(path, "w");
  }

  /** A row of the input, in order. */
  add(key: string): void {
    this.order.push(key);
  }

  /** The row's line is in the journal. */
  finish(key: string): void {
    this.finished.add(key);
  }

  /** The row failed on every try: it has no line. */
  fail(key: string): void {
    this.failed.add(key);
  }

  /** Writes every row whose predecessors are all settled; with `all`, every finished row, gaps skipped. */
  flush(all = false): void {
    while (this.start < this.order.length) {
      const key = this.order[this.start] as string;
      if (this.finished.delete(key)) this.write(key);
      else if (!this.failed.delete(key) && !all) break;
      this.start++;
    }
    if (this.start > 4_096 && this.start * 2 > this.order.length) {
      this.order = this.order.slice(this.start);
      this.start = 0;
    }
  }

  private write(key: string): void {
    const row = this.journal.get(key);
    if (this.fd !== null && row) writeSync(this.fd, `${row.line}\n`);
  }

  close(): void {
    if (this.fd !== null) closeSync(this.fd);
    this.fd = null;
  }
}
