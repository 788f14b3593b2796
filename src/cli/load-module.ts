/**
 * Loads a user's module (.ts or .js) for the commands that read schemas from code (`lint`, `repair --schema`),
 * and finds the schemas it exports. TypeScript goes through tsx when it is installed, else Node's own type
 * stripping.
 */
import { resolve } from "node:path";
import { pathToFileURL } from "node:url";
import { isStandardSchema, type StandardSchemaV1 } from "../schema/index.js";

export async function loadModule(file: string): Promise<Record<string, unknown>> {
  if (/\.(c|m)?tsx?$/.test(file)) {
    try {
      const { register } = await import("tsx/esm/api");
      register();
    } catch {
      // tsx not installed: Node's own type stripping may still load it.
    }
  }
  return (await import(pathToFileURL(resolve(file)).href)) as Record<string, unknown>;
}

/** Every exported schema of a module, named as exported (`rubric.schema` for a scored() rubric). */
export function exportedSchemas(mod: Record<string, unknown>): Array<{ name: string; schema: StandardSchemaV1 }> {
  const out: Array<{ name: string; schema: StandardSchemaV1 }> = [];
  for (const [name, value] of Object.entries(mod)) {
    if (isStandardSchema(value)) out.push({ name, schema: value });
    else if (value && typeof value === "object" && isStandardSchema((value as { schema?: unknown }).schema)) {
      out.push({ name: `${name}.schema`, schema: (value as { schema: StandardSchemaV1 }).schema });
    }
  }
  return out;
}
