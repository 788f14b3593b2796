/**
 * The trace-store commands' one way in: open the store (or several, read as one), run one query, close it. A
 * missing store or a failed query ends the command with its message (commander's `command.error`), never a
 * stack trace; a --db that names a directory or a file that is not SQLite is a usage error (exit 2) naming it.
 */
import { closeSync, openSync, readSync, statSync } from "node:fs";
import type { Command } from "commander";
import { openMergedTraceDb, openTraceDb, type TraceDb } from "../observe/index.js";

const messageOf = (error: unknown) => (error instanceof Error ? error.message : String(error));

/** The first 16 bytes of every SQLite 3 database file. */
const SQLITE_HEADER = "SQLite format 3\0";

/** Why `path` cannot be a trace store, or null when it may be one (a missing file is left to the open's message). */
function notATraceStore(path: string): string | null {
  let fd: number;
  try {
    if (statSync(path).isDirectory()) return `--db ${path} is a directory: expected a trace store file (SQLite), e.g. .ballast/traces.db`;
    fd = openSync(path, "r");
  } catch {
    return null;
  }
  const head = Buffer.alloc(SQLITE_HEADER.length);
  let read: number;
  try {
    read = readSync(fd, head, 0, head.length, 0);
  } finally {
    closeSync(fd);
  }
  if (head.toString("latin1") === SQLITE_HEADER) return null;
  return `--db ${path} ${read === 0 ? "is an empty file" : "is not a SQLite database"}: expected a trace store Ballast wrote, e.g. .ballast/traces.db`;
}

export function readTraces<R>(command: Command, path: string | readonly string[], query: (db: TraceDb) => R): R {
  const paths = typeof path === "string" ? [path] : path;
  for (const p of paths) {
    const problem = notATraceStore(p);
    if (problem !== null) command.error(problem, { exitCode: 2, code: "ballast.notATraceStore" });
  }
  let db: TraceDb;
  try {
    db = paths.length === 1 ? openTraceDb(paths[0] as string) : openMergedTraceDb(paths);
  } catch (error) {
    command.error(paths.length === 1 ? `no trace store at ${paths[0]}: ${messageOf(error)}` : messageOf(error));
  }
  try {
    return query(db);
  } catch (error) {
    command.error(messageOf(error));
  } finally {
    db.close();
  }
}
