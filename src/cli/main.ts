/**
 * The `ballast` command line: one subcommand per file in ./commands, each exporting a commander Command.
 * Register a new one by adding it to the list below. Exit codes (also in `ballast --help`): 0 success, 1 the
 * work failed (e.g. nothing recoverable), 2 a usage mistake (unknown option, a bad flag value: a number, a
 * choice, a file that is not what the flag expects, an unusable schema or task module). Mistakes
 * print one line, never a stack trace (BALLAST_DEBUG=1 shows it for unexpected errors). A bare
 * `ballast repair` takes a fast lane that loads neither commander nor the other commands.
 */
import { readFileSync } from "node:fs";
import type { Command } from "commander";

/** An error that is not commander's: one line on stderr, exit 2 for a configuration mistake, else 1. */
function fail(error: unknown): void {
  const kind = (error as { kind?: unknown } | null)?.kind;
  const message = error instanceof Error ? error.message : String(error);
  process.stderr.write(`ballast: ${message}\n`);
  if (process.env.BALLAST_DEBUG && error instanceof Error && error.stack) process.stderr.write(`${error.stack}\n`);
  process.exitCode = kind === "configuration" ? 2 : 1;
}

if (process.argv.length === 3 && process.argv[2] === "repair") {
  try {
    await (await import("./repair-fast-lane.js")).repairFastLane();
  } catch (error) {
    fail(error);
  }
} else await commandLine();

async function commandLine(): Promise<void> {
  const { Command, CommanderError } = await import("commander");

  /** The package's version, read from its package.json (two levels up from both src/cli and dist/cli). */
  const version = (JSON.parse(readFileSync(new URL("../../package.json", import.meta.url), "utf8")) as { version: string }).version;

  const program = new Command("ballast")
    .description("Reliable, schema-valid JSON from unreliable LLMs")
    .version(version, "-V, --version", "print the version")
    .showHelpAfterError()
    .addHelpText(
      "after",
      "\nExit codes: 0 success; 1 the work failed; 2 a usage mistake (an unknown option, a bad flag value, a file that\n" +
        "is not what its flag expects, a module that does not load). `ballast batch --help` lists batch's own.",
    );

  /** Each command's module, loaded only when needed: `ballast repair` starts without the trace store or simulator. */
  const commands: Record<string, () => Promise<Command>> = {
    stats: () => import("./commands/stats.js").then((m) => m.command),
    traces: () => import("./commands/traces.js").then((m) => m.command),
    trace: () => import("./commands/trace.js").then((m) => m.command),
    demo: () => import("./commands/demo.js").then((m) => m.command),
    repair: () => import("./commands/repair.js").then((m) => m.command),
    simulate: () => import("./commands/simulate.js").then((m) => m.command),
    lint: () => import("./commands/lint.js").then((m) => m.command),
    feedback: () => import("./commands/feedback.js").then((m) => m.command),
    ui: () => import("./commands/ui.js").then((m) => m.command),
    batch: () => import("./commands/batch.js").then((m) => m.command),
    worker: () => import("./commands/worker.js").then((m) => m.command),
  };
  program.exitOverride();
  // a known command name first: load that one; anything else (help, --version, a typo) needs them all
  const named = process.argv[2];
  const needed = named !== undefined && Object.hasOwn(commands, named) ? [commands[named]!] : Object.values(commands);
  for (const load of needed) program.addCommand((await load()).exitOverride());

  /** Commander's codes for a command line that was wrong (as opposed to a command that failed). */
  const USAGE = new Set([
    "commander.invalidArgument",
    "commander.optionMissingArgument",
    "commander.missingArgument",
    "commander.missingMandatoryOptionValue",
    "commander.unknownOption",
    "commander.unknownCommand",
    "commander.excessArguments",
    "commander.conflictingOption",
  ]);

  try {
    await program.parseAsync(process.argv);
  } catch (error) {
    if (error instanceof CommanderError) {
      // commander has printed its message already
      process.exitCode = USAGE.has(error.code) ? 2 : error.exitCode;
    } else fail(error);
  }
}
