/**
 * `ballast simulate`: runs the LLM simulator as a standalone server for any app or SDK; prints its base URL
 * as the first line of stdout and shuts down gracefully on SIGINT/SIGTERM.
 */
import { readFile } from "node:fs/promises";
import { Command } from "commander";
import { integer } from "../option-parsers.js";
import { type SimulatorConfig, SimulatorConfigError, startSimulator } from "../../simulator/index.js";

async function loadConfig(path: string | undefined): Promise<SimulatorConfig> {
  if (!path) return {};
  const text = await readFile(path, "utf8");
  try {
    return JSON.parse(text) as SimulatorConfig;
  } catch (error) {
    throw new SimulatorConfigError(path, `is not valid JSON (${(error as Error).message})`);
  }
}

export const command = new Command("simulate")
  .description("run the OpenAI/Anthropic-compatible chaos simulator (first stdout line: its base URL)")
  .option("-p, --port <port>", "port on 127.0.0.1 (0 picks a free one)", integer(0, 65_535), 0)
  .option("-c, --config <file>", "simulator config JSON (seed, models, groundTruth)")
  .action(async (opts: { port: number; config?: string }) => {
    let sim: Awaited<ReturnType<typeof startSimulator>>;
    try {
      const config = await loadConfig(opts.config);
      sim = await startSimulator({ ...config, port: opts.port });
    } catch (error) {
      process.stderr.write(`ballast simulate: ${(error as Error).message}\n`);
      process.exitCode = 1;
      return;
    }
    process.stdout.write(`${sim.url}\n`);
    process.stderr.write(
      `OpenAI base URL ${sim.url}/v1, Anthropic base URL ${sim.url}, stats at ${sim.url}/_ballast/stats. Ctrl-C to stop.\n`,
    );
    await new Promise<void>((resolve) => {
      const stop = () => {
        process.off("SIGINT", stop);
        process.off("SIGTERM", stop);
        resolve();
      };
      process.on("SIGINT", stop);
      process.on("SIGTERM", stop);
    });
    const stats = sim.stats();
    await sim.close();
    process.stderr.write(`simulator stopped after ${stats.totalRequests} requests\n`);
  });
