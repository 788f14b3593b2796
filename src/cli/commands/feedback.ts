/**
 * `ballast feedback`: the most frequent prompt-feedback complaints per task (template) from the trace store,
 * similar wordings clustered, with example call ids (open one with `ballast trace <id>`).
 */
import { Command } from "commander";
import { fraction, integer } from "../option-parsers.js";
import { pct, table, when, DEFAULT_TRACE_PATH, parseSince, promptFeedback } from "../../observe/index.js";
import { readTraces } from "../read-traces.js";

export const command: Command = new Command("feedback")
  .description("Most frequent prompt-feedback complaints per task, from the local trace store")
  .option("--db <file>", "trace store", DEFAULT_TRACE_PATH)
  .option("--task <name>", "only this task")
  .option("--since <window>", "only calls since, e.g. 24h, 7d")
  .option("--top <n>", "complaints per task", integer(1), 10)
  .option("--similarity <0..1>", "how alike two complaints must be to count together (token-set Jaccard)", fraction, 0.5)
  .option("--json", "print a JSON array")
  .action((opts: { db: string; task?: string; since?: string; top: number; similarity: number; json?: boolean }) => {
    const rows = readTraces(command, opts.db, (db) =>
      promptFeedback(db, {
        ...(opts.task !== undefined ? { task: opts.task } : {}),
        ...(opts.since ? { since: parseSince(opts.since) } : {}),
        top: opts.top,
        similarity: opts.similarity,
      }),
    );
    if (opts.json) {
      process.stdout.write(`${JSON.stringify(rows)}\n`);
      return;
    }
    if (rows.length === 0) {
      process.stdout.write("no prompt feedback recorded (turn it on with promptFeedback: true on a task)\n");
      return;
    }
    const out: string[] = [];
    for (const t of rows) {
      out.push(
        `${t.task || "(no task)"}: ${t.with_feedback} of ${t.calls} calls left feedback (${pct(t.with_feedback / Math.max(1, t.calls))})`,
      );
      out.push(
        table(
          ["count", "complaint", "wordings", "last seen", "example calls"],
          t.clusters.map((c) => [
            c.count,
            c.text.length > 90 ? `${c.text.slice(0, 87)}...` : c.text,
            c.variants,
            when(c.last_seen),
            c.examples.join(" "),
          ]),
        ),
      );
      out.push("");
    }
    process.stdout.write(`${out.join("\n")}`);
  });
