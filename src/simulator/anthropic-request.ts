/**
 * Parses an Anthropic Messages request body into a `ChatRequest`: system and message blocks (with their
 * `cache_control` breakpoints), tools and tool_choice, `output_config.format` / `output_format`, sampling.
 */
import type { JsonSchema } from "../schema/json-schema.js";
import { type ChatRequest, contentHashOf, type OutputRequest, type PromptSegment } from "./chat-request.js";
import { InvalidRequestError } from "./invalid-request-error.js";

type Body = Record<string, unknown>;

function cacheControlOf(block: Body): PromptSegment["cacheControl"] {
  const cc = block.cache_control as Body | undefined | null;
  if (!cc) return undefined;
  return { ttl: cc.ttl === "1h" ? "1h" : "5m" };
}

function blockText(block: Body): string {
  if (typeof block.text === "string") return block.text;
  if (block.type === "tool_use") return JSON.stringify(block.input ?? {});
  if (block.type === "tool_result") {
    return typeof block.content === "string" ? block.content : JSON.stringify(block.content ?? "");
  }
  return "";
}

function pushContent(segments: PromptSegment[], role: PromptSegment["role"], content: unknown): string {
  if (typeof content === "string") {
    segments.push({ role, text: content });
    return content;
  }
  if (!Array.isArray(content)) return "";
  let all = "";
  for (const raw of content as Body[]) {
    const text = blockText(raw);
    const cacheControl = cacheControlOf(raw);
    segments.push(cacheControl ? { role, text, cacheControl } : { role, text });
    all += text;
  }
  return all;
}

function outputOf(body: Body): OutputRequest {
  const tools = Array.isArray(body.tools) ? (body.tools as Body[]) : [];
  const choice = (body.tool_choice ?? { type: "auto" }) as Body;
  if (tools.length > 0 && choice.type !== "none") {
    let tool = tools[0];
    if (choice.type === "tool") {
      tool = tools.find((t) => t.name === choice.name);
      if (!tool) throw new InvalidRequestError(`tool_choice: tool '${String(choice.name)}' not found in tools`);
    }
    return {
      kind: "tool",
      schema: ((tool?.input_schema as JsonSchema | undefined) ?? { type: "object", properties: {} }) as JsonSchema,
      name: String(tool?.name ?? "tool"),
      namedTool: choice.type === "tool",
    };
  }
  const format = ((body.output_config as Body | undefined)?.format ?? body.output_format) as Body | undefined | null;
  if (format?.type === "json_schema") return { kind: "json_schema", schema: (format.schema ?? {}) as JsonSchema, name: "output" };
  return { kind: "text", schema: null, name: "text" };
}

export function parseAnthropicRequest(body: Body): ChatRequest {
  if (typeof body.model !== "string" || body.model === "") throw new InvalidRequestError("model: Field required");
  if (typeof body.max_tokens !== "number") throw new InvalidRequestError("max_tokens: Field required");
  if (!Array.isArray(body.messages) || body.messages.length === 0) {
    throw new InvalidRequestError("messages: at least one message is required");
  }
  const output = outputOf(body);
  const segments: PromptSegment[] = [];
  for (const tool of (Array.isArray(body.tools) ? body.tools : []) as Body[]) {
    // Neither the cache marker nor the streaming hint is prompt text the model reads.
    const { cache_control: _cc, eager_input_streaming: _eager, ...definition } = tool;
    const cacheControl = cacheControlOf(tool);
    const text = JSON.stringify(definition);
    segments.push(cacheControl ? { role: "tools", text, cacheControl } : { role: "tools", text });
  }
  if (output.kind === "json_schema") segments.push({ role: "tools", text: JSON.stringify(output.schema) });
  pushContent(segments, "system", body.system);
  let lastUserText = "";
  for (const m of body.messages as Body[]) {
    const role = m.role === "assistant" ? "assistant" : "user";
    const text = pushContent(segments, role, m.content);
    if (role === "user") lastUserText = text;
  }
  const breakpoints = segments.filter((s) => s.cacheControl).length;
  if (breakpoints > 4) {
    throw new InvalidRequestError(`A maximum of 4 blocks with cache_control may be provided. Found ${breakpoints}.`);
  }
  const temperature = typeof body.temperature === "number" ? body.temperature : 1;
  return {
    protocol: "anthropic",
    model: body.model,
    segments,
    lastUserText,
    promptText: segments.map((s) => s.text).join("\n"),
    output,
    n: 1,
    temperature,
    seed: undefined,
    maxTokens: body.max_tokens,
    stream: body.stream === true,
    includeUsage: true,
    cacheKey: undefined,
    contentHash: contentHashOf(body.model, temperature, output, segments),
  };
}
