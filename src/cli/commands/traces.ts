/**
 * `ballast traces`: lists recent calls from the local trace store, newest first, optionally only the failed
 * ones (hardcoded value, rejected, or no end) or those touching one model. Table by default, JSON array with `--json`.
 * Each row says where its value came from as the API does: `source` (model, repaired, fallback) and `rung`.
 */
import { Command } from "commander";
import { integer } from "../option-parsers.js";
import { ms, table, usd, when, DEFAULT_TRACE_PATH, listCalls, parseSince } from "../../observe/index.js";
import { readTraces } from "../read-traces.js";
import { sourceWords } from "../source-words.js";

export const command: Command = new Command("traces")
  .description("List recent calls from the local trace store")
  .option("--db <file>", "trace store", DEFAULT_TRACE_PATH)
  .option("--failed", "only calls the models did not deliver (hardcoded value, rejected, or no end)")
  .option("--model <model>", "only calls answered by or attempted on this model")
  .option("--since <window>", "only calls since, e.g. 24h, 7d")
  .option("--limit <n>", "at most this many", integer(1), 50)
  .option("--json", "print a JSON array")
  .action((opts: { db: string; failed?: boolean; model?: string; since?: string; limit: number; json?: boolean }) => {
    const rows = readTraces(command, opts.db, (db) =>
      listCalls(db, {
        failed: opts.failed,
        model: opts.model,
        since: opts.since ? parseSince(opts.since) : undefined,
        limit: opts.limit,
      }),
    );
    if (opts.json) {
      process.stdout.write(`${JSON.stringify(rows)}\n`);
      return;
    }
    if (rows.length === 0) {
      process.stdout.write("no calls\n");
      return;
    }
    process.stdout.write(
      `${table(
        ["id", "started", "task", "model", "source", "attempts", "latency", "cost"],
        rows.map((r) => [r.id, when(r.started_at), r.task, r.model, sourceWords(r), r.attempts, ms(r.latency_ms), usd(r.cost_usd)]),
      )}\n`,
    );
  });
