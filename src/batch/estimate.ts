/**
 * Local estimates before anything is sent: the prompt's tokens (exact with gpt-tokenizer when installed) over the
 * prompt Ballast builds, the schema as sent, a typical answer's tokens from the schema's shape, and the dollars
 * from the model's price or the catalogue. Used by `--dry-run`, by the budget stop and by the TPM bucket.
 */
import { attemptCost } from "../observe/index.js";
import { buildPrompt, countTokens } from "../prompt/index.js";
import type { LanguageModel, Usage } from "../core/index.js";
import { compileSchema, type JsonSchema, toOpenAIStrict } from "../schema/index.js";
import type { BatchTask } from "./task.js";

/** Per-request overheads of the chat format (message framing and reply priming, as OpenAI counts them). */
const MESSAGE_OVERHEAD = 3;
const REPLY_PRIMING = 3;
/** A free-text string field in a typical answer: a short phrase. */
const TYPICAL_STRING = "typical short answer phrase here";

export interface RowEstimate {
  inputTokens: number;
  outputTokens: number;
}

export interface ModelEstimate {
  model: string;
  provider: string;
  rows: number;
  inputTokens: number;
  outputTokens: number;
  /** null when the model's price is unknown. */
  costUsd: number | null;
}

/** Estimates one row's tokens on a task (the primary model's first attempt). */
export class RowEstimator {
  private readonly fixedTokens: number;
  private readonly outputTokens: number;
  private readonly systemText: string;
  constructor(private readonly task: BatchTask) {
    const d = task.definition;
    const compiled = compileSchema(d.schema);
    const provider = task.models[0]?.provider;
    // the schema as the adapter sends it: OpenAI's strict dialect, or the raw JSON Schema as a tool input
    const sent = provider === "openai" ? toOpenAIStrict(compiled.wire).schema : compiled.wire;
    const schemaTokens = countTokens(JSON.stringify(sent));
    const system = buildPrompt({ instructions: d.instructions, examples: d.examples, sections: d.sections, input: "" }).filter(
      (s) => s.role === "system",
    );
    this.systemText = system.map((s) => s.content).join("\n\n");
    const anthropic = provider === "anthropic";
    this.fixedTokens =
      schemaTokens +
      (this.systemText ? countTokens(this.systemText) : 0) +
      (anthropic ? 0 : REPLY_PRIMING + MESSAGE_OVERHEAD * (this.systemText ? 2 : 1));
    this.outputTokens = countTokens(JSON.stringify(typicalInstance(compiled.wire, compiled.wire, 0)));
  }

  estimate(input: unknown): RowEstimate {
    const user = buildPrompt({ input, sections: this.task.definition.sections?.filter((s) => !s.stable && s.role === "user") })
      .filter((s) => s.role === "user")
      .map((s) => s.content)
      .join("\n\n");
    return { inputTokens: this.fixedTokens + countTokens(user), outputTokens: this.outputTokens };
  }
}

export function usageOf(e: RowEstimate): Usage {
  return { inputTokens: e.inputTokens, outputTokens: e.outputTokens, cachedInputTokens: 0, cacheWriteTokens: 0, reasoningTokens: 0 };
}

/** Dollars for `usage` on `model`, halved for a provider Batch API; null when the price is unknown. */
export function costOn(model: LanguageModel, usage: Usage, discount = 1): number | null {
  const cost = attemptCost(model.provider, model.modelId, usage, model.price);
  return cost === null ? null : cost * discount;
}

/** The value a model typically answers for `schema`: enums' first value, short phrases, small arrays. */
function typicalInstance(root: JsonSchema, input: JsonSchema, depth: number): unknown {
  let schema = input;
  if (typeof schema.$ref === "string") {
    const name = schema.$ref.split("/").pop() as string;
    schema =
      ((root.$defs ?? (root as { definitions?: Record<string, JsonSchema> }).definitions ?? {}) as Record<string, JsonSchema>)[name] ?? {};
  }
  if (schema.const !== undefined) return schema.const;
  if (Array.isArray(schema.enum) && schema.enum.length > 0) return schema.enum[0];
  const branches = (schema.anyOf ?? schema.oneOf) as JsonSchema[] | undefined;
  if (branches?.length) return typicalInstance(root, branches.find((b) => b.type !== "null") ?? (branches[0] as JsonSchema), depth);
  const type = Array.isArray(schema.type) ? schema.type.find((t) => t !== "null") : schema.type;
  if (depth > 8) return null;
  switch (type) {
    case "object": {
      const out: Record<string, unknown> = {};
      for (const [k, v] of Object.entries((schema.properties ?? {}) as Record<string, JsonSchema>))
        out[k] = typicalInstance(root, v, depth + 1);
      return out;
    }
    case "array": {
      const n = Math.max(schema.minItems ?? 0, Math.min(schema.maxItems ?? 2, 2));
      return Array.from({ length: n }, () => typicalInstance(root, (schema.items ?? {}) as JsonSchema, depth + 1));
    }
    case "integer":
      return 42;
    case "number":
      return 4.2;
    case "boolean":
      return true;
    case "null":
      return null;
    default:
      return TYPICAL_STRING;
  }
}
