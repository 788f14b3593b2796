/**
 * What the provider Batch runners share: a row's request body (built exactly as the live adapter builds it),
 * and reading a returned reply: recovered, validated against the task's schema, priced at the batch discount.
 */
import { capabilitiesOf, type ModelCapabilities, type LanguageModel, type ModelRequest, type Usage, type Price } from "../../core/index.js";
import { buildPrompt } from "../../prompt/index.js";
import { buildMessagesBody, toAnthropicUsage } from "../../providers/anthropic/index.js";
import { buildChatBody, toOpenAIUsage } from "../../providers/openai/index.js";
import { cataloguePrice } from "../../observe/index.js";
import { recover } from "../../recovery/index.js";
import { type CompiledSchema, compileSchema } from "../../schema/index.js";
import { costOn } from "../estimate.js";
import type { BatchTask } from "../task.js";
import type { BatchRowResult } from "../types.js";
import { BATCH_DISCOUNT } from "./types.js";

export class BatchRows {
  readonly compiled: CompiledSchema<unknown>;
  readonly model: LanguageModel;
  /** The model's price at the Batch API's discount (undefined when unknown). */
  readonly price: Price | undefined;
  private readonly outputName: string;
  constructor(readonly task: BatchTask) {
    this.compiled = compileSchema(task.definition.schema);
    this.model = task.models[0] as LanguageModel;
    const full = this.model.price ?? cataloguePrice(this.model.provider, this.model.modelId) ?? undefined;
    this.price = full && discounted(full);
    this.outputName = task.definition.name.replace(/[^a-zA-Z0-9_-]/g, "_").slice(0, 64) || "answer";
  }

  /** What the row's model accepts: the adapter's own table row, else the table's default for its family. */
  private capabilities(provider: "openai" | "anthropic"): ModelCapabilities {
    return this.model.capabilities ?? capabilitiesOf(provider, this.model.modelId);
  }

  /** The request body for one row, as the live adapter would send it. */
  body(input: unknown): Record<string, unknown> {
    const d = this.task.definition;
    const request: ModelRequest = {
      sections: buildPrompt({ instructions: d.instructions, examples: d.examples, sections: d.sections, input }),
      output: { name: this.outputName, schema: this.compiled.wire },
      sampling: { temperature: d.temperature ?? 0, frequencyPenalty: d.frequencyPenalty ?? 0.2 },
      signal: new AbortController().signal,
    };
    return this.model.provider === "anthropic"
      ? buildMessagesBody(this.model.modelId, request, {
          mode: "tool",
          maxTokens: d.maxOutputTokens ?? 4096,
          caps: this.capabilities("anthropic"),
        })
      : buildChatBody(this.model.modelId, request, "json_schema", this.capabilities("openai"));
  }

  /**
   * A valid value from a reply's text (recovered if need be), or null when it does not fit the schema; for a
   * row whose input this run does not have (a batch an earlier run submitted), so it cannot be traced as a call.
   */
  async read(id: string | number, text: string, usage: Usage, modelId: string): Promise<BatchRowResult | null> {
    const recovered = recover(text, { schema: this.compiled.wire });
    if (!recovered.ok) return null;
    const checked = await this.compiled.check(recovered.value);
    if (!checked.ok) return null;
    return {
      id,
      value: checked.value,
      source: recovered.steps.length > 0 ? "repaired" : "model",
      model: modelId,
      costUsd: costOn(this.model, usage, BATCH_DISCOUNT),
      tokens: { input: usage.inputTokens, output: usage.outputTokens },
      errors: [],
      rung: 0,
      via: "batch",
    };
  }

  /** The reply text and usage of an OpenAI chat completion body. */
  static openAIReply(body: unknown): { text: string; usage: Usage; model?: string } | null {
    const b = body as {
      choices?: Array<{ message?: { content?: string | null; tool_calls?: Array<{ function?: { arguments?: string } }> } }>;
      usage?: unknown;
      model?: string;
    };
    const m = b?.choices?.[0]?.message;
    if (!m) return null;
    const text = m.tool_calls?.[0]?.function?.arguments ?? m.content ?? "";
    return { text, usage: toOpenAIUsage(b.usage as Parameters<typeof toOpenAIUsage>[0]), model: b.model };
  }

  /** The reply text and usage of an Anthropic message. */
  static anthropicReply(message: unknown): { text: string; usage: Usage; model?: string } | null {
    const m = message as { content?: Array<{ type: string; input?: unknown; text?: string }>; usage?: unknown; model?: string };
    if (!Array.isArray(m?.content)) return null;
    const tool = m.content.find((c) => c.type === "tool_use");
    const text = tool ? JSON.stringify(tool.input) : m.content.map((c) => c.text ?? "").join("");
    return { text, usage: toAnthropicUsage(m.usage as Parameters<typeof toAnthropicUsage>[0]), model: m.model };
  }
}

function discounted(p: Price): Price {
  const out: Price = { inputPerMTok: p.inputPerMTok * BATCH_DISCOUNT, outputPerMTok: p.outputPerMTok * BATCH_DISCOUNT };
  if (p.cachedInputPerMTok !== undefined) out.cachedInputPerMTok = p.cachedInputPerMTok * BATCH_DISCOUNT;
  if (p.cacheWritePerMTok !== undefined) out.cacheWritePerMTok = p.cacheWritePerMTok * BATCH_DISCOUNT;
  return out;
}
