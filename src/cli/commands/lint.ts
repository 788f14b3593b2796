/**
 * `ballast lint <files…>`: imports each module and lints every exported schema (zod or any Standard Schema,
 * and `scored()` rubrics) with `lintSchema`. Exit 1 when a finding of severity "warning" remains.
 */
import { Command, Option } from "commander";
import { exportedSchemas, loadModule } from "../load-module.js";
import { integer } from "../option-parsers.js";
import { lintSchema, type SchemaWarning } from "../../schema/index.js";

export const command: Command = new Command("lint")
  .description("lint every exported schema of the given modules for what makes models fail")
  .argument("<files...>", "modules exporting zod (or Standard Schema) schemas, .ts or .js")
  .addOption(new Option("-p, --provider <provider>", "also check the provider's strict mode").choices(["openai", "anthropic"]))
  .option("--max-depth <n>", "object nesting allowed before a warning", integer(0), 3)
  .option("--warnings-only", "leave out hints (missing descriptions)")
  .option("--json", "print one JSON object: { file: { schema: warnings[] } }")
  .action(async (files: string[], opts: { provider?: string; maxDepth: number; warningsOnly?: boolean; json?: boolean }) => {
    const report: Record<string, Record<string, SchemaWarning[]>> = {};
    let warnings = 0;
    let schemas = 0;
    for (const file of files) {
      let mod: Record<string, unknown>;
      try {
        mod = await loadModule(file);
      } catch (error) {
        command.error(`cannot load ${file}: ${error instanceof Error ? error.message : String(error)}`);
      }
      report[file] = {};
      for (const { name, schema } of exportedSchemas(mod)) {
        schemas++;
        let found: SchemaWarning[];
        try {
          found = lintSchema(schema, {
            ...(opts.provider ? { provider: opts.provider } : {}),
            maxDepth: opts.maxDepth,
            warningsOnly: !!opts.warningsOnly,
          });
        } catch (error) {
          found = [
            {
              rule: "provider_unsupported",
              severity: "warning",
              path: "(root)",
              message: `cannot be converted to JSON Schema: ${error instanceof Error ? error.message : String(error)}`,
              fix: "use JSON types only",
            },
          ];
        }
        report[file]![name] = found;
        warnings += found.filter((w) => w.severity === "warning").length;
      }
    }
    if (opts.json) process.stdout.write(`${JSON.stringify(report)}\n`);
    else {
      const out: string[] = [];
      for (const [file, bySchema] of Object.entries(report)) {
        for (const [name, found] of Object.entries(bySchema)) {
          out.push(`${file} ${name}: ${found.length === 0 ? "ok" : `${found.length} finding(s)`}`);
          for (const w of found)
            out.push(`  ${w.severity === "warning" ? "warn" : "info"}  ${w.path}  [${w.rule}] ${w.message}\n        fix: ${w.fix}`);
        }
      }
      out.push(`${schemas} schema(s), ${warnings} warning(s)`);
      process.stdout.write(`${out.join("\n")}\n`);
    }
    if (schemas === 0) command.error("no exported schema found (export your zod schemas)");
    if (warnings > 0) process.exitCode = 1;
  });
