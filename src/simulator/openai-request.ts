/**
 * Parses an OpenAI Chat Completions request body into a `ChatRequest`: messages, `response_format`
 * (json_schema / json_object), tools and tool_choice, n, temperature, seed, max tokens, streaming options.
 */
import type { JsonSchema } from "../core/index.js";
import { type ChatRequest, contentHashOf, type OutputRequest, type PromptSegment } from "./chat-request.js";
import { withEmbeddedSchema } from "./embedded-schema.js";
import { InvalidRequestError } from "./invalid-request-error.js";
import { checkStrictSchema } from "./openai-strict.js";
import { decideToolCalls, type ToolSpec } from "./tool-choice.js";

type Body = Record<string, unknown>;

function contentText(content: unknown): string {
  if (typeof content === "string") return content;
  if (Array.isArray(content)) {
    return content
      .map((part) => {
        const p = part as Record<string, unknown>;
        if (typeof p.text === "string") return p.text;
        if (typeof p.refusal === "string") return p.refusal;
        return "";
      })
      .join("");
  }
  return "";
}

function messageText(m: Record<string, unknown>): string {
  let text = contentText(m.content);
  if (Array.isArray(m.tool_calls)) text += JSON.stringify(m.tool_calls);
  return text;
}

function formatOutput(body: Body): OutputRequest {
  const format = body.response_format as Body | undefined;
  if (format?.type === "json_schema") {
    const spec = (format.json_schema ?? {}) as Body;
    if (typeof spec.name !== "string") {
      throw new InvalidRequestError(
        "Missing required parameter: 'response_format.json_schema.name'.",
        "response_format.json_schema.name",
        "missing_required_parameter",
      );
    }
    const schema = (spec.schema ?? {}) as JsonSchema;
    if (spec.strict === true) checkStrictSchema(schema, `response_format '${spec.name}'`, "response_format");
    return { kind: "json_schema", schema, name: spec.name };
  }
  if (format?.type === "json_object") return { kind: "json_object", schema: null, name: "json_object" };
  return { kind: "text", schema: null, name: "text" };
}

/** The function tools offered (`tools`, or the legacy `functions`), and how the choice was given. */
function offeredTools(body: Body): { tools: ToolSpec[]; choice: unknown; legacy: boolean } {
  const legacy = !Array.isArray(body.tools) && Array.isArray(body.functions);
  const raw = legacy
    ? (body.functions as Body[])
    : ((Array.isArray(body.tools) ? body.tools : []) as Body[]).map((t) => (t.function ?? {}) as Body);
  raw.forEach((fn, i) => {
    if (fn.strict === true && fn.parameters !== undefined) {
      checkStrictSchema(fn.parameters as JsonSchema, `function '${String(fn.name)}'`, `tools[${i}].function.parameters`);
    }
  });
  const tools = raw.map((fn) => ({
    name: String(fn.name ?? "tool"),
    schema: ((fn.parameters as JsonSchema | undefined) ?? { type: "object", properties: {} }) as JsonSchema,
  }));
  return { tools, choice: legacy ? body.function_call : body.tool_choice, legacy };
}

/** What the conversation so far tells the tool chooser. */
function conversationState(messages: Body[]) {
  const called = new Set<string>();
  let instructions = "";
  let lastUser = "";
  for (const m of messages) {
    if (m.role === "assistant") {
      for (const call of (Array.isArray(m.tool_calls) ? m.tool_calls : []) as Body[]) called.add(String((call.function as Body)?.name));
      if (m.function_call) called.add(String((m.function_call as Body).name));
    }
    if (m.role === "system" || m.role === "developer") instructions += `${contentText(m.content)}\n`;
    if (m.role === "user") lastUser = contentText(m.content);
  }
  const last = messages[messages.length - 1]?.role;
  return { called, instructions: instructions + lastUser, afterToolResult: last === "tool" || last === "function" };
}

function outputOf(body: Body, format: OutputRequest): OutputRequest {
  const { tools, choice, legacy } = offeredTools(body);
  if (tools.length === 0 || choice === "none") return format;
  let named: string | undefined;
  if (typeof choice === "object" && choice !== null) {
    named = legacy ? String((choice as Body).name) : String(((choice as Body).function as Body | undefined)?.name);
    if (!tools.some((t) => t.name === named)) {
      const param = legacy ? "function_call" : "tool_choice";
      throw new InvalidRequestError(`Tool choice '${named}' not found in '${legacy ? "functions" : "tools"}' parameter.`, param);
    }
  }
  const calls = decideToolCalls({
    tools,
    mode: named !== undefined ? "named" : choice === "required" ? "required" : "auto",
    named,
    ...conversationState(body.messages as Body[]),
    parallel: !legacy && body.parallel_tool_calls !== false,
  });
  const [first, ...rest] = calls;
  if (!first) return format;
  return {
    kind: "tool",
    schema: first.schema,
    name: first.name,
    namedTool: named !== undefined,
    ...(rest.length > 0 ? { parallel: rest } : {}),
    ...(legacy ? { legacyFunction: true } : {}),
  };
}

export function parseOpenAIRequest(body: Body): ChatRequest {
  if (typeof body.model !== "string" || body.model === "") {
    throw new InvalidRequestError("you must provide a model parameter", null);
  }
  if (!Array.isArray(body.messages) || body.messages.length === 0) {
    throw new InvalidRequestError(
      "Invalid 'messages': empty array. Expected an array with minimum length 1, but got an empty array instead.",
      "messages",
      "empty_array",
    );
  }
  const format = formatOutput(body);
  const requested = outputOf(body, format);
  const segments: PromptSegment[] = [];
  const toolList = body.tools ?? body.functions;
  if (Array.isArray(toolList) && toolList.length > 0) segments.push({ role: "tools", text: JSON.stringify(toolList) });
  if (format.kind === "json_schema") segments.push({ role: "tools", text: JSON.stringify(format.schema) });
  let lastUserText = "";
  for (const raw of body.messages as Array<Record<string, unknown>>) {
    const role = raw.role === "system" || raw.role === "developer" ? "system" : raw.role === "assistant" ? "assistant" : "user";
    const text = messageText(raw);
    segments.push({ role, text });
    if (raw.role === "user") lastUserText = text;
  }
  if (requested.kind === "json_object" && !segments.some((s) => s.role !== "tools" && /json/i.test(s.text))) {
    // As the real API: JSON mode needs the word "json" somewhere in the messages.
    throw new InvalidRequestError(
      "'messages' must contain the word 'json' in some form, to use 'response_format' of type 'json_object'.",
      "messages",
    );
  }
  const n = body.n === undefined || body.n === null ? 1 : Number(body.n);
  if (!Number.isInteger(n) || n < 1 || n > 128)
    throw new InvalidRequestError(`Invalid 'n': integer must be between 1 and 128.`, "n", "integer_out_of_range");
  const output = withEmbeddedSchema(requested, segments);
  const temperature = typeof body.temperature === "number" ? body.temperature : 1;
  const maxTokens = (body.max_completion_tokens ?? body.max_tokens) as number | undefined | null;
  const streamOptions = (body.stream_options ?? {}) as Body;
  return {
    protocol: "openai",
    model: body.model,
    segments,
    lastUserText,
    promptText: segments.map((s) => s.text).join("\n"),
    output,
    n,
    temperature,
    seed: typeof body.seed === "number" ? body.seed : undefined,
    maxTokens: typeof maxTokens === "number" ? maxTokens : undefined,
    stream: body.stream === true,
    includeUsage: streamOptions.include_usage === true,
    cacheKey: typeof body.prompt_cache_key === "string" ? body.prompt_cache_key : undefined,
    contentHash: contentHashOf(body.model, temperature, output, segments),
  };
}
