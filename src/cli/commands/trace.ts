/**
 * `ballast trace <id>`: one call from the local trace store with every attempt, its outcome, tokens, cost,
 * recovery steps, the prompt and each response. Readable text by default, the whole record with `--json`.
 */
import { Command } from "commander";
import { ms, table, usd, when, DEFAULT_TRACE_PATH, callIdsWithPrefix, getCall } from "../../observe/index.js";
import { readTraces } from "../read-traces.js";
import { sourceWords, winningRung } from "../source-words.js";

export const command: Command = new Command("trace")
  .description("Show one call: attempts, prompts and responses")
  .argument("<id>", "call id (or a unique prefix)")
  .option("--db <file>", "trace store", DEFAULT_TRACE_PATH)
  .option("--json", "print the record as JSON")
  .action((id: string, opts: { db: string; json?: boolean }) => {
    const { found, candidates } = readTraces(command, opts.db, (db) => {
      const call = getCall(db, id);
      return { found: call, candidates: call ? [] : callIdsWithPrefix(db, id) };
    });
    if (!found) {
      if (candidates.length > 1) {
        command.error(`${id} matches several calls; give more of the id:\n${candidates.map((c) => `  ${c}`).join("\n")}`);
      }
      command.error(`no call with id ${id}`);
    }
    const c = found.call;
    // the API's words: source model | repaired | fallback, and the rung that answered (null for fallback)
    c.rung = c.source === "model" || c.source === "repaired" ? winningRung(found.attempts, c.model) : null;
    if (opts.json) {
      process.stdout.write(`${JSON.stringify(found)}\n`);
      return;
    }
    const out: string[] = [
      `call ${c.id}  task ${c.task ?? "-"}  ${when(c.started_at as number)}`,
      `source ${sourceWords(c)}  model ${c.model ?? "-"}  latency ${ms(c.latency_ms as number | null)}  cost ${c.estimated && c.cost_usd !== null ? "~" : ""}${usd(c.cost_usd as number | null)}`,
      `tokens in ${c.input_tokens} (cached ${c.cached_input_tokens}, cache-write ${c.cache_write_tokens})  out ${c.output_tokens} (reasoning ${c.reasoning_tokens})`,
      "",
      table(
        ["#", "model", "kind", "rung", "outcome", "latency", "in", "cached", "out", "cost", "recovery", "error"],
        found.attempts.map((a) => [
          a.seq as number,
          a.model as string,
          a.kind as string,
          a.rung as number,
          a.outcome as string,
          ms(a.latency_ms as number),
          a.input_tokens as number,
          a.cached_input_tokens as number,
          a.output_tokens as number,
          `${a.estimated && a.cost_usd !== null ? "~" : ""}${usd(a.cost_usd as number | null)}`,
          ((a.recovery_steps as string[] | null) ?? []).join(",") || "-",
          a.error_kind ? `${a.error_kind}${a.error_message ? `: ${a.error_message}` : ""}` : "-",
        ]),
      ),
    ];
    if (c.estimated)
      out.push("~ estimated: an attempt was cut short before the provider reported usage; its tokens and cost were counted locally");
    if (Array.isArray(c.prompt)) {
      out.push("", "prompt:");
      for (const s of c.prompt as Array<{ name: string; role: string; content: string }>)
        out.push(`  [${s.role} ${s.name}]`, indent(s.content));
    } else out.push("", "prompt: (not stored: metadata mode)");
    for (const a of found.attempts) {
      if (typeof a.response_text === "string") out.push("", `response #${a.seq} (${a.model}):`, indent(a.response_text));
    }
    if (c.value !== null && c.value !== undefined) out.push("", "value:", indent(JSON.stringify(c.value, null, 2)));
    if (c.prompt_feedback) out.push("", "prompt feedback:", indent(String(c.prompt_feedback)));
    if (found.events.length > 0) {
      out.push("", "events:");
      for (const e of found.events)
        out.push(`  ${when(e.ts as number)} ${e.type}${e.model ? ` ${e.model}` : ""} ${JSON.stringify(e.data)}`);
    }
    process.stdout.write(`${out.join("\n")}\n`);
  });

const indent = (text: string): string =>
  text
    .split("\n")
    .map((l) => `    ${l}`)
    .join("\n");
