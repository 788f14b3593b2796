/**
 * Progress people (and tools) can read: a cli-progress bar on a TTY (rows done/total, rows/s, ETA, dollars so
 * far, valid / repaired / fallback, current 429 back-off), plain lines every few seconds otherwise, or one JSON
 * event per line with `json`.
 */
import cliProgress from "cli-progress";
import type { BatchCounts, BatchEvent } from "./types.js";

export interface ProgressReporter {
  onEvent(event: BatchEvent): void;
  stop(): void;
}

export function createProgress(options: { json: boolean; tty: boolean; total: number | null; intervalMs?: number }): ProgressReporter {
  const started = performance.now();
  const interval = options.intervalMs ?? (options.tty ? 200 : 2_000);
  let last = 0;
  let latest: BatchCounts | null = null;
  const rate = (c: BatchCounts) => c.done / Math.max(0.001, (performance.now() - started) / 1000);
  const total = options.total;
  const bar =
    options.tty && !options.json
      ? new cliProgress.SingleBar(
          {
            format:
              "{bar} {value}/{total} rows | {rps} rows/s | ETA {eta_formatted} | USD {usd} | valid {valid} repaired {repaired} fallback {fallback}{backoff}",
            hideCursor: true,
            stream: process.stderr,
            etaBuffer: 200,
          },
          cliProgress.Presets.shades_classic,
        )
      : null;
  bar?.start(total ?? 0, 0, { rps: "0", usd: "0.0000", valid: 0, repaired: 0, fallback: 0, backoff: "" });
  const payload = (c: BatchCounts) => ({
    rps: rate(c).toFixed(1),
    usd: c.costUsd.toFixed(4),
    valid: c.model,
    repaired: c.repaired,
    fallback: c.fallback,
    backoff: c.backoffMs > 0 ? ` | 429 back-off ${(c.backoffMs / 1000).toFixed(1)} s` : "",
  });
  const line = (c: BatchCounts) =>
    `${c.done + c.skipped}${total !== null ? `/${total}` : ""} rows (${c.skipped} from the journal), ${rate(c).toFixed(1)} rows/s, $${c.costUsd.toFixed(4)}, valid ${c.model} repaired ${c.repaired} fallback ${c.fallback}, ${"workers" in c ? `${c.inFlight} running on ${c.workers} worker(s)` : `in flight ${c.inFlight} (window ${c.window})`}${c.backoffMs > 0 ? `, 429 back-off ${c.backoffMs} ms` : ""}`;
  const write = (o: unknown) => process.stdout.write(`${JSON.stringify(o)}\n`);
  const tick = (c: BatchCounts, force = false) => {
    latest = c;
    const now = performance.now();
    if (!force && now - last < interval) return;
    last = now;
    if (options.json) write({ type: "progress", ...c, rowsPerSecond: Number(rate(c).toFixed(2)) });
    else if (bar) bar.update(c.done + c.skipped, payload(c));
    else process.stderr.write(`${line(c)}\n`);
  };
  return {
    onEvent(e) {
      switch (e.type) {
        case "row":
          return tick(e.counts);
        case "stop":
          tick(e.counts, true);
          if (options.json) write({ type: "stop", reason: e.reason, message: e.message });
          return;
        default:
          if (options.json) write(e);
          else if (e.type === "bad_row") process.stderr.write(`${e.line !== null ? `line ${e.line}: ` : ""}${e.reason}\n`);
          else if (e.type === "provider_batch") process.stderr.write(`${e.provider} batch ${e.batchId}: ${e.status} (${e.rows} rows)\n`);
      }
    },
    stop() {
      if (bar) {
        if (latest) bar.update(latest.done + latest.skipped, payload(latest));
        bar.stop();
      }
    },
  };
}
