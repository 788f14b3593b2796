/**
 * Parses an OpenAI Responses API body (`POST /v1/responses`) into a `ChatRequest`: `instructions`, `input`
 * (a string or message / function-call items; an `item_reference` to a function call the simulator issued reads as
 * that call), `text.format` (json_schema / json_object, strict rules checked,
 * or a schema embedded in the prompt), function tools chosen as a model would (tool-choice.ts: parallel calls,
 * an answer after tool results), `tool_choice`, `reasoning.effort`, `max_output_tokens`, `prompt_cache_key`,
 * streaming.
 */
import type { JsonSchema } from "../core/index.js";
import { type ChatRequest, contentHashOf, type OutputRequest, type PromptSegment } from "./chat-request.js";
import { withEmbeddedSchema } from "./embedded-schema.js";
import { InvalidRequestError } from "./invalid-request-error.js";
import { checkStrictSchema } from "./openai-strict.js";
import { resolveItem } from "./responses-store.js";
import { decideToolCalls, type ToolSpec } from "./tool-choice.js";

type Body = Record<string, unknown>;

/** Hidden reasoning tokens per `reasoning.effort`: a stand-in for a reasoning model's thinking. */
export const REASONING_TOKENS: Record<string, number> = { none: 0, minimal: 16, low: 64, medium: 256, high: 1024, xhigh: 2048 };

function partsText(content: unknown): string {
  if (typeof content === "string") return content;
  if (!Array.isArray(content)) return "";
  return content
    .map((part) => {
      const p = part as Body;
      if (typeof p.text === "string") return p.text;
      if (typeof p.refusal === "string") return p.refusal;
      return "";
    })
    .join("");
}

function itemSegment(item: Body): PromptSegment | null {
  if (item.type === "function_call") return { role: "assistant", text: `${String(item.name)}(${String(item.arguments ?? "")})` };
  if (item.type === "function_call_output")
    return { role: "user", text: typeof item.output === "string" ? item.output : JSON.stringify(item.output) };
  if (item.type === "reasoning" || item.type === "item_reference") return null;
  if (item.type !== undefined && item.type !== "message") {
    throw new InvalidRequestError(
      `Invalid value: '${String(item.type)}'. Supported values are: 'message', 'function_call', 'function_call_output', 'reasoning'.`,
      "input",
    );
  }
  const role = item.role === "system" || item.role === "developer" ? "system" : item.role === "assistant" ? "assistant" : "user";
  return { role, text: partsText(item.content) };
}

/** The function tools offered; a tool marked `strict: true` must follow OpenAI's strict-schema rules. */
function offeredTools(body: Body): ToolSpec[] {
  const tools = (Array.isArray(body.tools) ? body.tools : []) as Body[];
  const offered: ToolSpec[] = [];
  tools.forEach((tool, i) => {
    if (tool.type !== "function") return;
    if (tool.strict === true && tool.parameters !== undefined) {
      checkStrictSchema(tool.parameters as JsonSchema, `function '${String(tool.name)}'`, `tools[${i}].parameters`);
    }
    offered.push({
      name: String(tool.name ?? "tool"),
      schema: ((tool.parameters as JsonSchema | undefined) ?? { type: "object", properties: {} }) as JsonSchema,
    });
  });
  return offered;
}

/** What the conversation so far tells the tool chooser: calls already made, the instructions, a pending tool result. */
function conversationState(body: Body) {
  const called = new Set<string>();
  let instructions = typeof body.instructions === "string" ? `${body.instructions}\n` : "";
  let lastUser = typeof body.input === "string" ? body.input : "";
  let lastType: unknown = "message";
  for (const item of (Array.isArray(body.input) ? body.input : []) as Body[]) {
    if (item.type === "reasoning" || item.type === "item_reference") continue;
    lastType = item.type ?? "message";
    if (item.type === "function_call") called.add(String(item.name));
    else if (item.type === undefined || item.type === "message") {
      if (item.role === "system" || item.role === "developer") instructions += `${partsText(item.content)}\n`;
      else if (item.role === "user") lastUser = partsText(item.content);
    }
  }
  return { called, instructions: instructions + lastUser, afterToolResult: lastType === "function_call_output" };
}

function formatOutput(body: Body): OutputRequest {
  const format = ((body.text ?? {}) as Body).format as Body | undefined;
  if (format?.type === "json_schema") {
    if (typeof format.name !== "string") {
      throw new InvalidRequestError("Missing required parameter: 'text.format.name'.", "text.format.name", "missing_required_parameter");
    }
    if (format.schema === null || typeof format.schema !== "object") {
      throw new InvalidRequestError(
        "Missing required parameter: 'text.format.schema'.",
        "text.format.schema",
        "missing_required_parameter",
      );
    }
    const schema = format.schema as JsonSchema;
    if (format.strict === true) checkStrictSchema(schema, `response_format '${format.name}'`, "text.format.schema");
    return { kind: "json_schema", schema, name: format.name };
  }
  if (format?.type === "json_object") return { kind: "json_object", schema: null, name: "json_object" };
  return { kind: "text", schema: null, name: "text" };
}

/** A tool call when the model would make one (see tool-choice.ts), else the requested text format. */
function outputOf(body: Body, format: OutputRequest): OutputRequest {
  const tools = offeredTools(body);
  const choice = body.tool_choice;
  if (tools.length === 0 || choice === "none") return format;
  let named: string | undefined;
  if (typeof choice === "object" && choice !== null && (choice as Body).type === "function") {
    named = String((choice as Body).name);
    if (!tools.some((t) => t.name === named)) {
      throw new InvalidRequestError(`Tool choice '${named}' not found in 'tools' parameter.`, "tool_choice");
    }
  }
  const calls = decideToolCalls({
    tools,
    mode: named !== undefined ? "named" : choice === "required" ? "required" : "auto",
    named,
    ...conversationState(body),
    parallel: body.parallel_tool_calls !== false,
  });
  const [first, ...rest] = calls;
  if (!first) return format;
  return {
    kind: "tool",
    schema: first.schema,
    name: first.name,
    namedTool: named !== undefined,
    ...(rest.length > 0 ? { parallel: rest } : {}),
  };
}

export function parseResponsesRequest(sent: Body): ChatRequest {
  // an item_reference to a function call the simulator issued reads as that call, as on the API
  const body = Array.isArray(sent.input) ? { ...sent, input: (sent.input as Body[]).map(resolveItem) } : sent;
  if (typeof body.model !== "string" || body.model === "") throw new InvalidRequestError("Missing required parameter: 'model'.", "model");
  if (typeof body.previous_response_id === "string") {
    // The simulator keeps no conversation state: as the real API does for an unknown id.
    throw new InvalidRequestError(`Previous response with id '${body.previous_response_id}' not found.`, "previous_response_id");
  }
  const format = formatOutput(body);
  const requested = outputOf(body, format);
  const segments: PromptSegment[] = [];
  if (Array.isArray(body.tools) && body.tools.length > 0) segments.push({ role: "tools", text: JSON.stringify(body.tools) });
  if (format.kind === "json_schema") segments.push({ role: "tools", text: JSON.stringify(format.schema) });
  if (typeof body.instructions === "string" && body.instructions !== "") segments.push({ role: "system", text: body.instructions });
  let lastUserText = "";
  if (typeof body.input === "string") {
    segments.push({ role: "user", text: body.input });
    lastUserText = body.input;
  } else if (Array.isArray(body.input) && body.input.length > 0) {
    for (const raw of body.input as Body[]) {
      const segment = itemSegment(raw);
      if (!segment) continue;
      segments.push(segment);
      if (segment.role === "user") lastUserText = segment.text;
    }
  } else {
    throw new InvalidRequestError("Missing required parameter: 'input'.", "input", "missing_required_parameter");
  }
  if (requested.kind === "json_object" && !segments.some((s) => s.role !== "tools" && /json/i.test(s.text))) {
    throw new InvalidRequestError(
      "Response input messages must contain the word 'json' in some form to use 'text.format' of type 'json_object'.",
      "input",
    );
  }
  const effort = ((body.reasoning ?? {}) as Body).effort;
  let reasoningTokens = 0;
  if (typeof effort === "string") {
    const tokens = REASONING_TOKENS[effort];
    if (tokens === undefined) {
      throw new InvalidRequestError(
        `Invalid value: '${effort}'. Supported values are: ${Object.keys(REASONING_TOKENS)
          .map((k) => `'${k}'`)
          .join(", ")}.`,
        "reasoning.effort",
      );
    }
    reasoningTokens = tokens;
  }
  const output = withEmbeddedSchema(requested, segments);
  const temperature = typeof body.temperature === "number" ? body.temperature : 1;
  return {
    protocol: "openai",
    model: body.model,
    segments,
    lastUserText,
    promptText: segments.map((s) => s.text).join("\n"),
    output,
    n: 1,
    temperature,
    seed: undefined,
    maxTokens: typeof body.max_output_tokens === "number" ? body.max_output_tokens : undefined,
    stream: body.stream === true,
    includeUsage: true,
    cacheKey: typeof body.prompt_cache_key === "string" ? body.prompt_cache_key : undefined,
    reasoningTokens,
    contentHash: contentHashOf(body.model, temperature, output, segments),
  };
}
