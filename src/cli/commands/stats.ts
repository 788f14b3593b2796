/**
 * `ballast stats`: calls, spend, latency percentiles, outcome shares, per-model uptime, breaker openings,
 * cache-hit share, and per task the cached-input share and prompt-cache busters, from the local trace store, or
 * from several read as one (`--db a.db --db b.db`: one file per worker of a fleet). Human tables by default,
 * one JSON object with `--json`.
 */
import { Command, Option } from "commander";
import { ms, pct, table, usd, DEFAULT_TRACE_PATH, parseSince, stats } from "../../observe/index.js";
import { readTraces } from "../read-traces.js";

export const command: Command = new Command("stats")
  .description("Spend, latency, outcomes and model uptime from the local trace store")
  .option(
    "--db <file>",
    `trace store; repeat it to merge several (one per worker) (default: "${DEFAULT_TRACE_PATH}")`,
    (v: string, all: string[] = []) => [...all, v],
  )
  .option("--since <window>", "only calls since, e.g. 24h, 7d, 30m or a date")
  .addOption(new Option("--by <dimension>", "break down by model or day").choices(["model", "day"]))
  .option("--batch <id>", "only the calls of one batch run (its id is printed by ballast batch)")
  .option("--json", "print one JSON object")
  .action((opts: { db?: string[]; since?: string; by?: string; json?: boolean; batch?: string }) => {
    if (opts.by !== undefined && opts.by !== "model" && opts.by !== "day") command.error(`--by must be "model" or "day", got "${opts.by}"`);
    const s = readTraces(command, opts.db ?? DEFAULT_TRACE_PATH, (db) =>
      stats(db, { since: opts.since ? parseSince(opts.since) : undefined, by: opts.by as "model" | "day" | undefined, batch: opts.batch }),
    );
    if (opts.json) {
      process.stdout.write(`${JSON.stringify(s)}\n`);
      return;
    }
    const out: string[] = [];
    out.push(
      table(
        [
          "calls",
          "spend",
          "p50",
          "p95",
          "p99",
          "success",
          "repaired",
          "re-asked",
          "fallback",
          "hardcoded",
          "error",
          "incomplete",
          "cached input",
        ],
        [
          [
            s.calls,
            usd(s.spend_usd),
            ms(s.p50_ms),
            ms(s.p95_ms),
            ms(s.p99_ms),
            pct(s.success_share),
            pct(s.repaired_share),
            pct(s.reasked_share),
            pct(s.fallback_share),
            pct(s.hardcoded_share),
            pct(s.error_share),
            pct(s.incomplete_share),
            pct(s.cached_input_share),
          ],
        ],
      ),
    );
    if (s.unknown_cost_attempts > 0) out.push(`(${s.unknown_cost_attempts} attempts with an unknown price are not in the spend)`);
    if (s.estimated_cost_attempts > 0)
      out.push(
        `(${s.estimated_cost_attempts} attempts were cut short before the provider reported usage: their cost in the spend is estimated)`,
      );
    if (s.dropped_events > 0)
      out.push(`trace store: ${s.dropped_events} event(s) could not be written and were dropped (database busy or unwritable)`);
    if (s.leaks.self_reported + s.leaks.silent > 0) {
      out.push(
        `private-context leaks: ${s.leaks.self_reported + s.leaks.silent} (${s.leaks.self_reported} self-reported, ${s.leaks.silent} silent)`,
      );
    }
    if (s.groups) {
      out.push("", `by ${opts.by}:`);
      out.push(
        table(
          [opts.by === "day" ? "day" : "model", "calls", "spend", "p50", "p95", "p99", "success", "fallback", "cached input"],
          s.groups.map((g) => [
            g.key,
            g.calls,
            usd(g.spend_usd),
            ms(g.p50_ms),
            ms(g.p95_ms),
            ms(g.p99_ms),
            pct(g.success_share),
            pct(g.fallback_share),
            pct(g.cached_input_share),
          ]),
        ),
      );
    }
    if (s.tasks.length > 0) {
      out.push("", "tasks (prompt cache):");
      out.push(
        table(
          ["task", "calls", "cached input", "cache busters", "busted sections", "tokens lost/busted call"],
          s.tasks.map((t) => [
            t.task,
            t.calls,
            pct(t.cached_input_share),
            t.cache_busters,
            t.busted_sections.join(", ") || "-",
            t.cache_busters > 0 ? `~${Math.round(t.tokens_lost / t.cache_busters)}` : "-",
          ]),
        ),
      );
    }
    if (s.models.length > 0) {
      out.push("", "models:");
      out.push(
        table(
          ["model", "provider", "attempts", "uptime", "breaker opens", "spend", "p50", "cached input"],
          s.models.map((m) => [
            m.model,
            m.provider,
            m.attempts,
            pct(m.uptime),
            m.breaker_openings,
            usd(m.spend_usd),
            ms(m.p50_ms),
            pct(m.cached_input_share),
          ]),
        ),
      );
    }
    process.stdout.write(`${out.join("\n")}\n`);
  });
