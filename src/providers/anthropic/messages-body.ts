/**
 * Builds the Messages API body: system blocks, the user turn, structured output as native JSON Schema
 * (`output_config.format`, mode "json_schema") or a forced tool, and
 * `cache_control` breakpoints placed on the stable prefix (see `placeBreakpoints`: at most 4).
 */
import { estimateTokens, minCacheableTokens, placeBreakpoints, stablePrefixCount, wireOrder } from "../../prompt/index.js";
import { schemaSection } from "../schema-instruction.js";
import { capabilitiesOf, type ModelCapabilities, type ModelRequest, type Usage, type OutputMode } from "../../core/index.js";
import { toAnthropicNative } from "./native-output.js";

type CacheControl = { type: "ephemeral"; ttl?: "5m" | "1h" };
type Block = { type: "text"; text: string; cache_control?: CacheControl };

/**
 * `caps` (see `capabilities.ts`) drops what the model refuses: on models that take temperature or top_p
 * but not both, top_p is left out when a temperature is sent.
 */
export function buildMessagesBody(
  model: string,
  request: ModelRequest,
  { mode, maxTokens, caps = capabilitiesOf("anthropic", model) }: { mode: OutputMode; maxTokens: number; caps?: ModelCapabilities },
): Record<string, unknown> {
  // Prompt-only mode does not enforce the schema: it is described in the prompt instead.
  const sections = request.output && mode === "prompt" ? [...request.sections, schemaSection(request.output)] : request.sections;
  const ordered = wireOrder(sections);
  const systemSections = ordered.filter((s) => s.role === "system");
  const system: Block[] = systemSections.map((s) => ({ type: "text", text: s.content }));
  const user: Block[] = ordered.filter((s) => s.role === "user").map((s) => ({ type: "text", text: s.content }));
  const messages: Array<{ role: string; content: string | Block[] }> = [
    { role: "user", content: user.length ? user : [{ type: "text", text: "" }] },
  ];
  for (const turn of request.followUp ?? []) messages.push({ role: turn.role, content: turn.content });

  const { sampling, output } = request;
  const body: Record<string, unknown> = { model, max_tokens: sampling.maxOutputTokens ?? maxTokens, messages };
  if (system.length) body.system = system;
  if (caps.temperature && sampling.temperature !== undefined) body.temperature = sampling.temperature;
  if (caps.topP && sampling.topP !== undefined && !(caps.temperatureOrTopP && body.temperature !== undefined)) body.top_p = sampling.topP;
  let tool: Record<string, unknown> | null = null;
  if (output && mode === "tool") {
    tool = { name: output.name, description: output.description ?? "Return the answer in this exact shape", input_schema: output.schema };
    body.tools = [tool];
    body.tool_choice = { type: "tool", name: output.name };
  } else if (output && mode === "json_schema") {
    body.output_config = { format: { type: "json_schema", schema: toAnthropicNative(output.schema) } };
  }

  if (request.cache?.breakpoints !== "none") {
    // Wire order of cacheable blocks: the tool (stable), then system and user blocks.
    const blocks: Array<{ target: { cache_control?: CacheControl }; tokens: number }> = [];
    if (tool) blocks.push({ target: tool, tokens: estimateTokens(JSON.stringify(tool)) });
    const offset = blocks.length;
    ordered.forEach((s, i) => {
      blocks.push({ target: (i < system.length ? system[i] : user[i - system.length])!, tokens: estimateTokens(s.content) });
    });
    const prefix = offset + stablePrefixCount(ordered);
    const roleEnds = [offset - 1, offset + systemSections.length - 1];
    const control: CacheControl = request.cache?.ttl === "1h" ? { type: "ephemeral", ttl: "1h" } : { type: "ephemeral" };
    const at = placeBreakpoints(
      blocks.map((b) => b.tokens),
      { prefixBlocks: prefix, minimum: minCacheableTokens("anthropic", model) ?? 1024, roleEnds },
    );
    for (const i of at) blocks[i]!.target.cache_control = { ...control };
  }
  return body;
}

interface AnthropicUsage {
  input_tokens?: number | null;
  output_tokens?: number | null;
  cache_creation_input_tokens?: number | null;
  cache_read_input_tokens?: number | null;
}

/** Anthropic's input_tokens excludes cache reads and writes; Ballast's inputTokens includes them. */
export function toUsage(usage: AnthropicUsage | null | undefined): Usage {
  const read = usage?.cache_read_input_tokens ?? 0;
  const write = usage?.cache_creation_input_tokens ?? 0;
  return {
    inputTokens: (usage?.input_tokens ?? 0) + read + write,
    outputTokens: usage?.output_tokens ?? 0,
    cachedInputTokens: read,
    cacheWriteTokens: write,
    reasoningTokens: 0,
  };
}
