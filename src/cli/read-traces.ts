/**
 * The trace-store commands' one way in: open the store (or several, read as one), run one query, close it. A
 * missing store or a failed query ends the command with its message (commander's `command.error`), never a
 * stack trace.
 */
import type { Command } from "commander";
import { openMergedTraceDb, openTraceDb, type TraceDb } from "../observe/index.js";

const messageOf = (error: unknown) => (error instanceof Error ? error.message : String(error));

export function readTraces<R>(command: Command, path: string | readonly string[], query: (db: TraceDb) => R): R {
  const paths = typeof path === "string" ? [path] : path;
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
