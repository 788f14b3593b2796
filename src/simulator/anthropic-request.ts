/**
 * Parses an Anthropic Messages request body into a `ChatRequest`: system and message blocks (with their
 * `cache_control` breakpoints), tools and tool_choice, `output_config.format` / `output_format`, sampling.
 */
import type { JsonSchema } from "../core/index.js";
import { type ChatRequest, contentHashOf, type OutputRequest, type PromptSegment } from "./chat-request.js";
import { checkAnthropicMessages } from "./anthropic-rules.js";
import { withEmbeddedSchema } from "./embedded-schema.js";
import { InvalidRequestError } from "./invalid-request-error.js";
import { decideToolCalls, type ToolSpec } from "./tool-choice.js";

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

function formatOutput(body: Body): OutputRequest {
  const format = ((body.output_config as Body | undefined)?.format ?? body.output_format) as Body | undefined | null;
  if (format?.type === "json_schema") return { kind: "json_schema", schema: (format.schema ?? {}) as JsonSchema, name: "output" };
  return { kind: "text", schema: null, name: "text" };
}

/** What the conversation so far tells the tool chooser. */
function conversationState(messages: Body[]) {
  const called = new Set<string>();
  let lastUser = "";
  for (const m of messages) {
    const content = Array.isArray(m.content) ? (m.content as Body[]) : [];
    if (m.role === "assistant") for (const b of content) if (b.type === "tool_use") called.add(String(b.name));
    if (m.role === "user") {
      const text = typeof m.content === "string" ? m.content : content.map((b) => (b.type === "text" ? String(b.text) : "")).join("");
      if (text !== "") lastUser = text;
    }
  }
  const last = messages[messages.length - 1];
  const afterToolResult =
    last?.role === "user" && Array.isArray(last.content) && (last.content as Body[]).some((b) => b.type === "tool_result");
  return { called, lastUser, afterToolResult };
}

function systemText(system: unknown): string {
  if (typeof system === "string") return system;
  return Array.isArray(system) ? (system as Body[]).map((b) => String(b.text ?? "")).join("\n") : "";
}

function outputOf(body: Body): OutputRequest {
  const format = formatOutput(body);
  const tools: ToolSpec[] = ((Array.isArray(body.tools) ? body.tools : []) as Body[])
    .filter((t) => t.input_schema !== undefined || t.type === undefined || t.type === "custom")
    .map((t) => ({
      name: String(t.name ?? "tool"),
      schema: ((t.input_schema as JsonSchema | undefined) ?? { type: "object", properties: {} }) as JsonSchema,
    }));
  const choice = (body.tool_choice ?? { type: "auto" }) as Body;
  if (tools.length === 0 || choice.type === "none") return format;
  if (choice.type === "tool" && !tools.some((t) => t.name === choice.name)) {
    throw new InvalidRequestError(`tool_choice: tool '${String(choice.name)}' not found in tools`);
  }
  const state = conversationState(body.messages as Body[]);
  const calls = decideToolCalls({
    tools,
    mode: choice.type === "tool" ? "named" : choice.type === "any" ? "required" : "auto",
    named: choice.type === "tool" ? String(choice.name) : undefined,
    afterToolResult: state.afterToolResult,
    called: state.called,
    instructions: `${systemText(body.system)}\n${state.lastUser}`,
    parallel: choice.disable_parallel_tool_use !== true,
  });
  const [first, ...rest] = calls;
  if (!first) return format;
  return {
    kind: "tool",
    schema: first.schema,
    name: first.name,
    namedTool: choice.type === "tool",
    ...(rest.length > 0 ? { parallel: rest } : {}),
  };
}

export function parseAnthropicRequest(body: Body): ChatRequest {
  if (typeof body.model !== "string" || body.model === "") throw new InvalidRequestError("model: Field required");
  if (typeof body.max_tokens !== "number") throw new InvalidRequestError("max_tokens: Field required");
  if (!Array.isArray(body.messages) || body.messages.length === 0) {
    throw new InvalidRequestError("messages: at least one message is required");
  }
  checkAnthropicMessages(body.messages as Body[]);
  const requested = outputOf(body);
  const segments: PromptSegment[] = [];
  for (const tool of (Array.isArray(body.tools) ? body.tools : []) as Body[]) {
    // Neither the cache marker nor the streaming hint is prompt text the model reads.
    const { cache_control: _cc, eager_input_streaming: _eager, ...definition } = tool;
    const cacheControl = cacheControlOf(tool);
    const text = JSON.stringify(definition);
    segments.push(cacheControl ? { role: "tools", text, cacheControl } : { role: "tools", text });
  }
  const format = formatOutput(body);
  if (format.kind === "json_schema") segments.push({ role: "tools", text: JSON.stringify(format.schema) });
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
  const output = withEmbeddedSchema(requested, segments);
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
