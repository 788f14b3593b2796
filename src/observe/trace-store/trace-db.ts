/** The database handle the trace store and its queries use: the subset of better-sqlite3 they call. */

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
