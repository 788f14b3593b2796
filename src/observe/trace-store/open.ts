/**
 * Opens the trace database. better-sqlite3 is an optional peer: it is required lazily here, the first time a
 * store flushes or the CLI reads, so a project without it only loses tracing (with one warning).
 */
import { mkdirSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname } from "node:path";
import type BetterSqlite3 from "better-sqlite3";
import { prepareSchema } from "./schema.js";

/** One prepared statement: the subset of better-sqlite3's API the store and its queries use. */
export interface TraceStatement {
  run(...params: unknown[]): { changes: number; lastInsertRowid: number | bigint };
  get(...params: unknown[]): unknown;
  all(...params: unknown[]): unknown[];
}

/**
 * The subset of a better-sqlite3 `Database` the store and its queries use, declared here so the published
 * types do not require `@types/better-sqlite3` (any better-sqlite3 database fits it).
 */
export interface TraceDb {
  prepare(sql: string): TraceStatement;
  exec(sql: string): unknown;
  pragma(sql: string, options?: { simple?: boolean }): unknown;
  transaction(fn: (...args: any[]) => unknown): (...args: any[]) => unknown;
  close(): unknown;
}

/** Where traces go when the client is not told otherwise. */
export const DEFAULT_TRACE_PATH = ".ballast/traces.db";

function driver(): typeof BetterSqlite3 {
  try {
    return createRequire(import.meta.url)("better-sqlite3") as typeof BetterSqlite3;
  } catch (error) {
    throw new Error("the trace store needs the optional peer dependency better-sqlite3 (npm install better-sqlite3)", { cause: error });
  }
}

/**
 * Opens (creating the directory and schema, or migrating an older store) for writing: WAL, NORMAL sync (durable
 * across a process crash). Waits up to 2 s for another process creating or migrating the same file.
 */
export function openTraceDbForWrite(path: string): TraceDb {
  if (path !== ":memory:") mkdirSync(dirname(path), { recursive: true });
  const Database = driver();
  const db: TraceDb = new Database(path, { timeout: 200 });
  try {
    // 8 KiB pages for a new file (an existing one keeps its own). Measured per call: a flush of hundreds of calls
    // costs ~15% less than with 4 KiB pages (half the WAL frames and write calls); a flush of one call ~10% more,
    // where 16 KiB pages cost 45% more (every commit rewrites whole pages).
    db.pragma("page_size = 8192");
    db.pragma("journal_mode = WAL");
    db.pragma("synchronous = NORMAL");
    db.pragma("busy_timeout = 2000");
    prepareSchema(db);
    db.pragma("busy_timeout = 200");
  } catch (error) {
    db.close();
    throw error;
  }
  return db;
}

/** Opens an existing store for reading (CLI, dashboard). Throws when the file does not exist. */
export function openTraceDb(path: string): TraceDb {
  const Database = driver();
  const db: TraceDb = new Database(path, { readonly: true, fileMustExist: true, timeout: 2000 });
  return db;
}
