/**
 * `ballast batch in.jsonl --task task.ts --out out.jsonl`: every input row through a task, resumable (the same
 * command skips finished rows), rate-limited, on budget, with a dry run; Ctrl-C lets in-flight rows finish and
 * prints the command that resumes.
 */
import { Command, Option } from "commander";
import {
  defaultJournalPath,
  estimateBatch,
  loadTask,
  readRows,
  rowProblem,
  runBatch,
  UnreadableLine,
  type BatchOptions,
  type BatchTask,
  type ProviderBatchOptions,
} from "../../batch/index.js";
import { batchFileClash } from "../batch-files.js";
import { integer, positive } from "../option-parsers.js";

interface Opts {
  task: string;
  out: string;
  failures?: string;
  journal?: string;
  concurrency: number;
  rpm?: number;
  tpm?: number;
  limitWindowMs?: number;
  budget?: number;
  dryRun?: boolean;
  onBadLine: string;
  mode: string;
  json?: boolean;
  graceMs: number;
  pollMs?: number;
  queue?: string;
  queueName?: string;
  maxQueued?: number;
  attempts?: number;
  outageMs?: number;
}

/** A library error's message for the `ballast batch:` line (without the library's own "batch: " prefix). */
const messageOf = (error: unknown) => (error instanceof Error ? error.message : String(error)).replace(/^batch: /, "");
/** 2 for a mistake of the command line's (a journal that is not one, say), 1 for a run that failed. */
const codeOf = (error: unknown) => ((error as { kind?: unknown } | null)?.kind === "configuration" ? 2 : 1);

/** Counts the rows and reports bad lines before anything is sent. */
async function scan(path: string) {
  const seen = new Set<string>();
  const bad: Array<{ line: number; reason: string }> = [];
  let rows = 0;
  for await (const item of readRows(path)) {
    if (item instanceof UnreadableLine) {
      bad.push({ line: item.line, reason: item.reason });
      continue;
    }
    const problem = rowProblem(item.value);
    const key = problem === null ? JSON.stringify((item.value as { id: unknown }).id) : "";
    if (problem !== null || seen.has(key)) {
      bad.push({ line: item.line, reason: problem ?? `duplicate id ${key}` });
      continue;
    }
    seen.add(key);
    rows++;
  }
  return { rows, bad };
}

async function providerClients(): Promise<ProviderBatchOptions> {
  const out: ProviderBatchOptions = {};
  const { default: OpenAI } = await import("openai");
  if (process.env.OPENAI_API_KEY || process.env.OPENAI_BASE_URL)
    out.openai = new OpenAI({ maxRetries: 0, apiKey: process.env.OPENAI_API_KEY ?? "not-needed" });
  try {
    const { default: Anthropic } = await import("@anthropic-ai/sdk");
    if (process.env.ANTHROPIC_API_KEY || process.env.ANTHROPIC_BASE_URL)
      out.anthropic = new Anthropic({ maxRetries: 0, apiKey: process.env.ANTHROPIC_API_KEY ?? "not-needed" });
  } catch {
    // the Anthropic SDK is an optional peer
  }
  return out;
}

export const command: Command = new Command("batch")
  .description("run every row of a JSONL file through a task: resumable, rate-limited, on budget")
  .argument("<input>", 'JSONL input, one {"id", "input"} per line')
  .requiredOption("--task <module>", "module whose default export is a Ballast task (llm.task(...))")
  .requiredOption("--out <file>", "JSONL output (the journal sits beside it)")
  .option("--failures <file>", "rows that ended on the fallback (default <out>.failures.jsonl)")
  .option("--journal <file>", "resume journal (default <out>.journal.db)")
  .option("--concurrency <n>", "rows in flight at most", integer(1), 16)
  .option("--rpm <n>", "requests per minute per model", positive)
  .option("--tpm <n>", "tokens per minute per model", positive)
  .option("--limit-window-ms <ms>", "the window --rpm and --tpm count over", positive)
  .option(
    "--budget <usd>",
    "start no row once the spend plus the estimated cost of the rows in flight would pass this many dollars (rows in flight finish, at what they cost)",
    positive,
  )
  .option("--dry-run", "print the estimated tokens and $ and send nothing")
  .addOption(new Option("--on-bad-line <what>", "skip or stop on a malformed input line").choices(["skip", "stop"]).default("skip"))
  .addOption(
    new Option("--mode <mode>", "live, batch (provider Batch APIs, 50% off) or auto").choices(["live", "batch", "auto"]).default("live"),
  )
  .option("--poll-ms <ms>", "provider batch status poll interval", positive)
  .option("--grace-ms <ms>", "after Ctrl-C, how long in-flight rows may take", integer(0), 10_000)
  .option("--json", "progress as JSON events on stdout")
  .option("--queue <redis-url>", "enqueue the rows on a BullMQ queue in Redis for `ballast worker` processes to run")
  .option("--queue-name <name>", "with --queue: the queue the workers listen on (default ballast)")
  .option("--max-queued <n>", "with --queue: rows queued and not yet collected, at most (default 10000)", integer(1))
  .option("--attempts <n>", "with --queue: tries per row whose call fails (default 3)", integer(1, 100))
  .option("--outage-ms <ms>", "with --queue: how long Redis may stay unreachable before the run gives up (default 60000)", integer(0))
  .addHelpText(
    "after",
    `
A .ts task module needs a TypeScript loader on Node 20: NODE_OPTIONS="--import tsx" ballast batch ...
(tsx installed in your project), or compile it, or write it as .mjs.

Exit codes: 0 every row finished; 1 the run failed (the output or journal could not be written, or with
--queue a row failed on every try or Redis stayed away); 2 a usage mistake (a bad flag value, a task module
that does not load, files that clash, a journal that is not one, malformed lines with --on-bad-line stop);
3 the budget was reached; 130 interrupted (the command printed resumes).`,
  )
  .action(async (input: string, opts: Opts) => {
    const fail = (message: string, code = 2): never => {
      process.stderr.write(`ballast batch: ${message}\n`);
      process.exit(code);
    };
    if (opts.queue) {
      const onWorkers = ["concurrency", "rpm", "tpm", "limitWindowMs", "budget", "pollMs", "graceMs"].filter(
        (o) => command.getOptionValueSource(o) === "cli",
      );
      if (onWorkers.length > 0 || opts.mode !== "live")
        fail(
          `--queue runs rows on \`ballast worker\` processes: ${opts.mode !== "live" ? "--mode" : `--${onWorkers[0]!.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)}`} does not apply (set concurrency and --rows-per-minute on the workers, token limits in the task through ballast/redis)`,
        );
    } else {
      const queueOnly = ["queueName", "maxQueued", "attempts", "outageMs"].filter((o) => command.getOptionValueSource(o) === "cli");
      if (queueOnly.length > 0) fail(`--${queueOnly[0]!.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)} needs --queue`);
    }
    const clash = batchFileClash({ input, out: opts.out, failures: opts.failures, journal: opts.journal });
    if (clash) fail(clash);
    let task: BatchTask;
    try {
      task = await loadTask(opts.task);
    } catch (error) {
      return fail((error as Error).message);
    }
    let scanned: Awaited<ReturnType<typeof scan>>;
    try {
      scanned = await scan(input);
    } catch (error) {
      return fail(`cannot read ${input}: ${(error as Error).message}`);
    }
    for (const b of scanned.bad) process.stderr.write(`${input}:${b.line}: ${b.reason}\n`);
    if (scanned.bad.length > 0 && opts.onBadLine === "stop") fail(`${scanned.bad.length} malformed line(s); nothing was sent`);
    const journal = opts.journal ?? defaultJournalPath(opts.out);
    const mode = opts.mode as "live" | "batch" | "auto";

    if (opts.dryRun) {
      let e: Awaited<ReturnType<typeof estimateBatch>>;
      try {
        e = await estimateBatch(task, readRows(input), { journal, mode });
      } catch (error) {
        return fail(messageOf(error), codeOf(error));
      }
      const summary = {
        type: "dry_run",
        model: e.model,
        rows: e.rows,
        finished: e.finished,
        bad: e.bad,
        inputTokens: e.inputTokens,
        outputTokens: e.outputTokens,
        costUsd: e.costUsd,
      };
      if (opts.json) process.stdout.write(`${JSON.stringify(summary)}\n`);
      else
        process.stdout.write(
          `dry run: ${e.rows} rows to send (${e.finished} already in the journal, ${e.bad} malformed)\n` +
            `  ${e.model}: ~${e.inputTokens} input + ~${e.outputTokens} output tokens, ~${e.costUsd === null ? "unknown price" : `$${e.costUsd.toFixed(4)}`}\n`,
        );
      return;
    }

    if (opts.queue) {
      const { runQueueBatch } = await import("../queue-batch.js");
      return runQueueBatch({
        input,
        task,
        url: opts.queue,
        name: opts.queueName,
        out: opts.out,
        failures: opts.failures,
        journal,
        maxQueued: opts.maxQueued,
        attempts: opts.attempts,
        outageMs: opts.outageMs,
        json: opts.json === true,
        total: scanned.rows,
      });
    }
    const { createProgress } = await import("../../batch/progress.js");
    const progress = createProgress({ json: opts.json === true, tty: process.stderr.isTTY === true, total: scanned.rows });
    const stop = new AbortController();
    let interrupts = 0;
    const onInt = () => {
      interrupts++;
      if (interrupts > 1) process.exit(130); // the journal holds every finished row
      process.stderr.write(`\ninterrupted: finishing in-flight rows (up to ${opts.graceMs} ms; Ctrl-C again to quit now)\n`);
      stop.abort();
    };
    process.on("SIGINT", onInt);
    process.on("SIGTERM", onInt);
    const options: BatchOptions & { output: { path: string; failures?: string } } = {
      journal,
      concurrency: opts.concurrency,
      onBadRow: "skip",
      mode,
      signal: stop.signal,
      graceMs: opts.graceMs,
      // malformed lines were reported by the scan above
      onEvent: (e) => (e.type === "bad_row" && e.line !== null && !opts.json ? undefined : progress.onEvent(e)),
      output: { path: opts.out, failures: opts.failures },
    };
    if (opts.rpm !== undefined || opts.tpm !== undefined) options.limits = { rpm: opts.rpm, tpm: opts.tpm };
    if (opts.limitWindowMs !== undefined) options.limitWindowMs = opts.limitWindowMs;
    if (opts.budget !== undefined) options.budgetUsd = opts.budget;
    if (mode !== "live") {
      options.providerBatch = await providerClients();
      if (opts.pollMs !== undefined) options.providerBatch.pollMs = opts.pollMs;
    }
    const run = runBatch(task, readRows(input), options);
    let summary: Awaited<typeof run.summary>;
    try {
      summary = await run.done();
    } catch (error) {
      progress.stop();
      return fail(messageOf(error), codeOf(error));
    } finally {
      process.off("SIGINT", onInt);
      process.off("SIGTERM", onInt);
    }
    progress.stop();
    const c = summary.counts;
    const resume = `ballast ${process.argv.slice(2).join(" ")}`;
    if (!opts.json) {
      process.stderr.write(
        `${summary.message}\n${c.done} rows sent this run, ${c.skipped} from the journal; valid ${c.model}, repaired ${c.repaired}, fallback ${c.fallback}, $${c.costUsd.toFixed(4)} in total (batch ${summary.batchId})\n`,
      );
    }
    if (summary.reason === "budget") {
      process.stderr.write(`to resume with a higher cap: ${resume.replace(/--budget[ =]\S+/, "--budget <more dollars>")}\n`);
      process.exit(3);
    }
    if (summary.reason === "signal") {
      process.stderr.write(`to resume: ${resume}\n`);
      process.exit(130);
    }
    if (summary.reason === "output") fail(summary.message, 1);
    process.exit(0);
  });
