/**
 * `ballast ui`: serves the dashboard over the local trace store until Ctrl-C. Its URL is the first line of
 * stdout. Loopback only unless `--host` is given, which then needs `--token`.
 */
import { Command } from "commander";
import { DEFAULT_TRACE_PATH } from "../../observe/index.js";
import { startDashboard } from "../../ui/index.js";

export const command: Command = new Command("ui")
  .description("Local dashboard over the trace store: cost, latency, uptime, structured-output health, traces")
  .option("--db <file>", "trace store", DEFAULT_TRACE_PATH)
  .option("--port <port>", "port (0 picks a free one)", "0")
  .option("--host <host>", "interface to bind (anything but loopback needs --token)", "127.0.0.1")
  .option("--token <secret>", "require this token on every request (at least 16 characters)")
  .action(async (opts: { db: string; port: string; host: string; token?: string }) => {
    const port = Number(opts.port);
    let dashboard: Awaited<ReturnType<typeof startDashboard>>;
    try {
      dashboard = await startDashboard({ db: opts.db, port, host: opts.host, ...(opts.token !== undefined ? { token: opts.token } : {}) });
    } catch (error) {
      command.error(`ballast ui: ${error instanceof Error ? error.message.replace(/^ballast ui: /, "") : String(error)}`);
    }
    process.stdout.write(`${dashboard.url}\n`);
    process.stderr.write(`dashboard over ${opts.db} (read-only). Ctrl-C to stop.\n`);
    await new Promise<void>((resolve) => {
      const stop = () => {
        process.off("SIGINT", stop);
        process.off("SIGTERM", stop);
        resolve();
      };
      process.on("SIGINT", stop);
      process.on("SIGTERM", stop);
    });
    await dashboard.close();
  });
