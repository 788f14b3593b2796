/**
 * The `ballast` command line: one subcommand per file in ./commands, each exporting a commander Command.
 * Register a new one by adding it to the list below.
 */
import { readFileSync } from "node:fs";
import { Command } from "commander";

/** The package's version, read from its package.json (two levels up from both src/cli and dist/cli). */
const version = (JSON.parse(readFileSync(new URL("../../package.json", import.meta.url), "utf8")) as { version: string }).version;

const program = new Command("ballast")
  .description("Reliable, schema-valid JSON from unreliable LLMs")
  .version(version, "-V, --version", "print the version")
  .showHelpAfterError();

const commands: Array<() => Promise<Command>> = [
  // each entry: () => import("./commands/<name>.js").then((m) => m.command),
  () => import("./commands/stats.js").then((m) => m.command),
  () => import("./commands/traces.js").then((m) => m.command),
  () => import("./commands/trace.js").then((m) => m.command),
  () => import("./commands/demo.js").then((m) => m.command),
  () => import("./commands/repair.js").then((m) => m.command),
  () => import("./commands/simulate.js").then((m) => m.command),
  () => import("./commands/lint.js").then((m) => m.command),
  () => import("./commands/feedback.js").then((m) => m.command),
];
for (const load of commands) program.addCommand(await load());

await program.parseAsync(process.argv);
