/**
 * The trace-store commands' one way in: open the store, run one query, close it. A missing store or a failed
 * query ends the command with its message (commander's `command.error`), never a stack trace.
 */
import type { Command } from "commander";
import { openTraceDb } from "../observe/index.js";

const messageOf = (error: unknown) => (error instanceof Error ? error.message : String(error));

export function readTraces<R>(command: Command, path: string, query: (db: ReturnType<typeof openTraceDb>) => R): R {
  let db: ReturnType<typeof openTraceDb>;
  try {
    db = openTraceDb(path);
  } catch (error) {
    command.error(`no trace store at ${path}: ${messageOf(error)}`);
  }
  try {
    return query(db);
  } catch (error) {
    command.error(messageOf(error));
  } finally {
    db.close();
  }
}
