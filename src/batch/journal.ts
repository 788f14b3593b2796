/**
 * The resume journal: a SQLite file beside the output (better-sqlite3, WAL). One row per finished input row
 * (id, content hash, the output line, its cost, the failure record when it ended on the fallback), the run's
 * meta (batch id) and the provider batches in flight. Finished rows are buffered (`add`) and written together
 * (`commit`, one transaction): a `kill -9` loses no committed row (WAL survives a process crash even with
 * synchronous=NORMAL), and a row counts as finished only once committed.
 */
import { existsSync, mkdirSync, statSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname } from "node:path";
import type BetterSqlite3 from "better-sqlite3";
import { ConfigurationError } from "../errors/index.js";

const SCHEMA = `
CREATE TABLE IF NOT EXISTS rows (
  id TEXT PRIMARY KEY,     -- JSON of the row id (keeps 1 and "1" apart)
  hash TEXT NOT NULL,      -- sha256(task fingerprint, input)
  source TEXT NOT NULL,    -- model | repaired | fallback
  cost_usd REAL,
  line TEXT NOT NULL,      -- the output line, as written
  failure TEXT             -- the failures-file line when the row ended on the fallback
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS provider_batches (
  id TEXT PRIMARY KEY,     -- the provider's batch id
  provider TEXT NOT NULL,
  model TEXT NOT NULL,
  status TEXT NOT NULL,    -- submitted | harvested
  rows TEXT NOT NULL,      -- JSON array of row ids (journal keys) in the batch
  created_at INTEGER NOT NULL
);
`;

export interface JournalRow {
  hash: string;
  source: string;
  line: string;
}

export interface ProviderBatchRecord {
  id: string;
  provider: string;
  model: string;
  status: "submitted" | "harvested";
  rows: string[];
  createdAt: number;
}

function loadSqlite(): typeof BetterSqlite3 {
  try {
    return createRequire(import.meta.url)("better-sqlite3") as typeof BetterSqlite3;
  } catch (error) {
    throw new ConfigurationError("ballast batch needs the optional dependency better-sqlite3 (npm install better-sqlite3)", [], {
      cause: error,
    });
  }
}

/** Creates the journal's folder; a path whose folder cannot exist (a file in the way) names the path. */
function makeFolder(path: string): void {
  if (existsSync(path) && statSync(path).isDirectory())
    throw new ConfigurationError(`batch: journal ${path} is a directory: expected a SQLite file, e.g. out.jsonl.journal.db`);
  try {
    mkdirSync(dirname(path), { recursive: true });
  } catch (error) {
    throw new ConfigurationError(`batch: journal ${path}: cannot create its folder (${(error as Error).message})`, [], { cause: error });
  }
}

/**
 * The error for a journal file SQLite refused: a file that is not a database, or a database of something else,
 * is the caller's to fix (a ConfigurationError naming the path); anything else (a busy or failing disk) as is.
 */
function unusableJournal(path: string, error: unknown): unknown {
  const code = (error as { code?: unknown } | null)?.code;
  const why = error instanceof Error ? error.message : String(error);
  const expected = "expected a journal an earlier batch run wrote, or a path for a new one";
  if (code === "SQLITE_NOTADB")
    return new ConfigurationError(`batch: journal ${path} is not a SQLite database (${why}): ${expected}`, [], { cause: error });
  if (code === "SQLITE_ERROR")
    return new ConfigurationError(`batch: journal ${path} is a SQLite database but not a batch journal (${why}): ${expected}`, [], {
      cause: error,
    });
  if (code === "SQLITE_CANTOPEN" || code === "SQLITE_READONLY" || code === "SQLITE_PERM" || code === "SQLITE_AUTH")
    return new ConfigurationError(`batch: journal ${path} cannot be opened for writing (${why})`, [], { cause: error });
  return error;
}

export interface FinishedRow {
  key: string;
  hash: string;
  source: string;
  costUsd: number | null;
  line: string;
  failure: string | null;
}

export class Journal {
  private readonly db: BetterSqlite3.Database;
  private readonly getRow: BetterSqlite3.Statement;
  private readonly putRow: BetterSqlite3.Statement;
  private readonly putRows: (rows: readonly FinishedRow[]) => void;
  private pending: FinishedRow[] = [];
  private spentUsd: number;

  /** Opens (or creates) the journal at `path`; a path that cannot hold one is a ConfigurationError naming it. */
  constructor(readonly path: string) {
    const Database = loadSqlite();
    makeFolder(path);
    let db: BetterSqlite3.Database | null = null;
    try {
      db = new Database(path, { timeout: 5_000 });
      db.pragma("journal_mode = WAL");
      db.pragma("synchronous = NORMAL");
      db.exec(SCHEMA);
      this.getRow = db.prepare("SELECT hash, source, line FROM rows WHERE id = ?");
      this.putRow = db.prepare(
        "INSERT INTO rows (id, hash, source, cost_usd, line, failure) VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT(id) DO UPDATE SET hash = excluded.hash, source = excluded.source, cost_usd = excluded.cost_usd, line = excluded.line, failure = excluded.failure",
      );
    } catch (error) {
      db?.close();
      throw unusableJournal(path, error);
    }
    this.db = db;
    this.putRows = this.db.transaction((rows: readonly FinishedRow[]) => {
      for (const r of rows) this.putRow.run(r.key, r.hash, r.source, r.costUsd, r.line, r.failure);
    });
    this.spentUsd = (this.db.prepare("SELECT COALESCE(SUM(cost_usd), 0) AS s FROM rows").get() as { s: number }).s;
  }

  meta(key: string): string | undefined {
    return (this.db.prepare("SELECT value FROM meta WHERE key = ?").get(key) as { value: string } | undefined)?.value;
  }

  setMeta(key: string, value: string) {
    this.db.prepare("INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value").run(key, value);
  }

  get(key: string): JournalRow | undefined {
    return this.getRow.get(key) as JournalRow | undefined;
  }

  /** Buffers a finished row until the next `commit` (its dollars count in `spent` at once). */
  add(row: FinishedRow) {
    this.pending.push(row);
    this.spentUsd += row.costUsd ?? 0;
  }

  /** Rows added and not committed yet. */
  get uncommitted(): number {
    return this.pending.length;
  }

  /**
   * Writes every buffered row in one transaction and returns them. Throws when the database cannot be written
   * (a full disk): the buffered rows are then dropped, unfinished, and their dollars no longer counted.
   */
  commit(): FinishedRow[] {
    const rows = this.pending;
    if (rows.length === 0) return rows;
    this.pending = [];
    try {
      this.putRows(rows);
    } catch (error) {
      for (const r of rows) this.spentUsd -= r.costUsd ?? 0;
      throw error;
    }
    return rows;
  }

  /** Records one finished row in its own transaction. */
  finish(row: FinishedRow) {
    this.add(row);
    this.commit();
  }

  /** Dollars recorded over every run of this journal (rows added and not committed yet included). */
  get spent(): number {
    return this.spentUsd;
  }

  count(): number {
    return (this.db.prepare("SELECT COUNT(*) AS n FROM rows").get() as { n: number }).n;
  }

  /** Every finished row's key, hash and line, in key order. */
  *entries(): Iterable<{ key: string; hash: string; line: string; failure: string | null }> {
    yield* this.db.prepare("SELECT id AS key, hash, line, failure FROM rows").iterate() as Iterable<{
      key: string;
      hash: string;
      line: string;
      failure: string | null;
    }>;
  }

  /** The failures-file line of every row that ended on the fallback, in key order. */
  *failures(): Iterable<string> {
    for (const r of this.db.prepare("SELECT failure FROM rows WHERE failure IS NOT NULL").iterate() as Iterable<{ failure: string }>)
      yield r.failure;
  }

  forget(keys: readonly string[]) {
    const del = this.db.prepare("DELETE FROM rows WHERE id = ?");
    this.db.transaction(() => {
      for (const k of keys) del.run(k);
    })();
    this.spentUsd = (this.db.prepare("SELECT COALESCE(SUM(cost_usd), 0) AS s FROM rows").get() as { s: number }).s;
  }

  putProviderBatch(b: ProviderBatchRecord) {
    this.db
      .prepare(
        "INSERT INTO provider_batches (id, provider, model, status, rows, created_at) VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT(id) DO UPDATE SET status = excluded.status",
      )
      .run(b.id, b.provider, b.model, b.status, JSON.stringify(b.rows), b.createdAt);
  }

  pendingProviderBatches(): ProviderBatchRecord[] {
    const rows = this.db.prepare("SELECT * FROM provider_batches WHERE status = 'submitted' ORDER BY created_at").all() as Array<{
      id: string;
      provider: string;
      model: string;
      status: "submitted";
      rows: string;
      created_at: number;
    }>;
    return rows.map((r) => ({
      id: r.id,
      provider: r.provider,
      model: r.model,
      status: r.status,
      rows: JSON.parse(r.rows),
      createdAt: r.created_at,
    }));
  }

  close() {
    if (this.db.open) this.db.close();
  }
}
