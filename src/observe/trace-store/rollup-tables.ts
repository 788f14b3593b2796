/**
 * The rows of one rollup level (hourly or daily, see rollup-schema.ts) as tallies: written over a period range
 * from a fold, read back for a range with the task and model asked and only the parts a view needs.
 */
import type { TraceDb } from "./trace-db.js";
import type { RollupLevel } from "./rollup-schema.js";
import {
  type AttemptTally,
  addCount,
  type CallTally,
  type CountTally,
  mergeAttempt,
  mergeCall,
  packLatencies,
  type Tallies,
  type TimeRange,
  unpackLatencies,
} from "./tally.js";

/** What a view needs: only these are read from the rollup tables. */
export interface TallyParts {
  calls?: boolean;
  attempts?: boolean;
  /** Read the latency columns of calls and attempts (the biggest part). */
  latencies?: boolean;
  /** The keyed-count metrics to read. */
  counts?: readonly string[];
}

export const ALL_PARTS: TallyParts = {
  calls: true,
  attempts: true,
  latencies: true,
  counts: ["first_try", "depth", "guard", "error", "recovery", "field", "issue", "outcome"],
};

export interface LevelRead {
  /** The tallies the rows are added to. */
  into: Tallies;
  task?: string | undefined;
  model?: string | undefined;
  parts: TallyParts;
  /** The rollup attempts have their `estimated` column (a store not migrated yet has none). */
  estimated: boolean;
  /** Moves each row to another period (the hours of a day to that day); rows then merge. */
  periodOf?: (at: number) => number;
}

/** Adds to `read.into` the level's rows of the periods in [from, to) that fit the task and model asked. */
export function readLevel(db: TraceDb, level: RollupLevel, { from, to }: TimeRange, read: LevelRead): void {
  const t = read.into;
  if (from >= to) return;
  const p = level.period;
  const where = `${p} >= @from AND ${p} < @to AND (@task IS NULL OR task = @task) AND (@model IS NULL OR model = @model)`;
  const params = { from, to, task: read.task ?? null, model: read.model ?? null };
  const lat = read.parts.latencies ? ", latencies" : "";
  const move = read.periodOf;
  if (read.parts.calls) {
    const rows = db
      .prepare(
        `SELECT ${p} AS at, task, model, calls, completed, success, repaired, reasked, fallback, hardcoded, errors, leak_self, leak_silent${lat}
         FROM ${level.calls} WHERE ${where}`,
      )
      .all(params) as Array<Omit<CallTally, "latencies"> & { latencies?: Uint8Array | null }>;
    for (const row of rows)
      mergeCall(t, { ...row, at: move ? move(row.at) : row.at, latencies: row.latencies ? [unpackLatencies(row.latencies)] : [] });
  }
  if (read.parts.attempts) {
    const estimated = read.estimated ? "estimated" : "0 AS estimated";
    const rows = db
      .prepare(
        `SELECT ${p} AS at, task, model, provider, attempts, ran, answered, provider_failures, spend, unknown_cost, ${estimated}, input, cached${lat}
         FROM ${level.attempts} WHERE ${where}`,
      )
      .all(params) as Array<Omit<AttemptTally, "latencies"> & { latencies?: Uint8Array | null }>;
    for (const row of rows)
      mergeAttempt(t, { ...row, at: move ? move(row.at) : row.at, latencies: row.latencies ? [unpackLatencies(row.latencies)] : [] });
  }
  if (!read.parts.counts?.length) return;
  const counts = db.prepare(`SELECT ${p} AS at, task, model, metric, key, n FROM ${level.counts} WHERE metric = @metric AND ${where}`);
  for (const metric of read.parts.counts)
    for (const row of counts.all({ ...params, metric }) as CountTally[]) addCount(t, move ? { ...row, at: move(row.at) } : row, row.n);
}

export interface LevelWriter {
  /** Replaces the level's rows of the periods in [from, to) with the tallies (keyed by this level's periods). */
  replace(from: number, to: number, t: Tallies): void;
  /** Deletes the level's rows of the periods in [from, to). */
  drop(from: number, to: number): void;
}

export function levelWriter(db: TraceDb, level: RollupLevel): LevelWriter {
  const p = level.period;
  const drops = [level.calls, level.attempts, level.counts].map((table) =>
    db.prepare(`DELETE FROM ${table} WHERE ${p} >= @from AND ${p} < @to`),
  );
  const insertCall = db.prepare(`INSERT INTO ${level.calls} (${p}, task, model, calls, completed, success, repaired, reasked, fallback,
      hardcoded, errors, leak_self, leak_silent, latencies)
    VALUES (@at, @task, @model, @calls, @completed, @success, @repaired, @reasked, @fallback, @hardcoded, @errors, @leak_self,
      @leak_silent, @packed)`);
  const insertAttempt = db.prepare(`INSERT INTO ${level.attempts} (${p}, task, model, provider, attempts, ran, answered,
      provider_failures, spend, unknown_cost, estimated, input, cached, latencies)
    VALUES (@at, @task, @model, @provider, @attempts, @ran, @answered, @provider_failures, @spend, @unknown_cost, @estimated, @input,
      @cached, @packed)`);
  const insertCount = db.prepare(
    `INSERT INTO ${level.counts} (${p}, task, model, metric, key, n) VALUES (@at, @task, @model, @metric, @key, @n)`,
  );
  const drop = (from: number, to: number): void => {
    for (const d of drops) d.run({ from, to });
  };
  return {
    drop,
    replace(from, to, t) {
      drop(from, to);
      for (const c of t.calls.values()) insertCall.run({ ...c, packed: packLatencies(c.latencies) });
      for (const a of t.attempts.values()) insertAttempt.run({ ...a, packed: packLatencies(a.latencies) });
      for (const c of t.counts.values()) insertCount.run(c);
    },
  };
}
