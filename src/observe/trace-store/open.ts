/**
 * Opens the trace database. better-sqlite3 is an optional peer: it is required lazily here, the first time a
 * store flushes or the CLI reads, so a project without it only loses tracing (with one warning).
 */
import { existsSync, mkdirSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, resolve, sep } from "node:path";
import type BetterSqlite3 from "better-sqlite3";
import { prepareSchema } from "./schema.js";
import type { TraceDb } from "./trace-db.js";

/** Where traces go when the client is not told otherwise. */
export const DEFAULT_TRACE_PATH = ".ballast/traces.db";

/** Kernel file systems: directories cannot be made there, and a recursive mkdir can spin on them forever. */
const VIRTUAL_ROOTS = ["/proc", "/sys"];

/** Why a trace file cannot live at `path` (under /proc or /sys), or null. */
export function tracePathProblem(path: string): string | null {
  if (path === ":memory:") return null;
  const full = resolve(path);
  const root = VIRTUAL_ROOTS.find((r) => full === r || full.startsWith(`${r}${sep}`));
  return root === undefined ? null : `the trace path ${full} is under ${root}, a kernel file system: choose a regular directory`;
}

/**
 * Creates the file's missing parent directories one level at a time (never a recursive mkdir, which loops on
 * some virtual file systems): at most one mkdir per missing path component, so it always ends.
 */
function makeParents(path: string): void {
  const problem = tracePathProblem(path);
  if (problem !== null) throw new Error(problem);
  const missing: string[] = [];
  for (let dir = dirname(resolve(path)); !existsSync(dir); dir = dirname(dir)) {
    missing.push(dir);
    if (dirname(dir) === dir) break;
  }
  for (let i = missing.length - 1; i >= 0; i--) {
    try {
      mkdirSync(missing[i]!);
    } catch (error) {
      if ((error as { code?: string }).code !== "EEXIST") throw error;
    }
  }
}

function driver(): typeof BetterSqlite3 {
  try {
    return createRequire(import.meta.url)("better-sqlite3") as typeof BetterSqlite3;
  } catch (error) {
    throw new Error("the trace store needs the optional peer dependency better-sqlite3 (npm install better-sqlite3)", { cause: error });
  }
}

/**
 * How long one write waits for another connection's lock. It blocks the event loop while it waits, so it stays
 * well under a second: a batch still refused is retried later on a timer, with backoff (see index.ts).
 */
const WRITE_BUSY_TIMEOUT_MS = 500;

/**
 * Opens (creating the directory and schema, or migrating an older store) for writing: WAL, NORMAL sync (durable
 * across a process crash). Waits up to 2 s for another process creating or migrating the same file.
 */
export function openTraceDbForWrite(path: string): TraceDb {
  if (path !== ":memory:") makeParents(path);
  const Database = driver();
  const db: TraceDb = new Database(path, { timeout: WRITE_BUSY_TIMEOUT_MS });
  try {
    // 8 KiB pages for a new file (an existing one keeps its own). Measured per call: a flush of hundreds of calls
    // costs ~15% less than with 4 KiB pages (half the WAL frames and write calls); a flush of one call ~10% more,
    // where 16 KiB pages cost 45% more (every commit rewrites whole pages).
    db.pragma("page_size = 8192");
    db.pragma("journal_mode = WAL");
    db.pragma("synchronous = NORMAL");
    db.pragma("busy_timeout = 2000");
    prepareSchema(db);
    db.pragma(`busy_timeout = ${WRITE_BUSY_TIMEOUT_MS}`);
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
