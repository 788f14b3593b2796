/**
 * Parses an OpenAI Responses API body (`POST /v1/responses`) into a `ChatRequest`: `instructions`, `input`
 * (a string or message / function-call items), `text.format` (json_schema / json_object), function tools and
 * `tool_choice`, `reasoning.effort`, `max_output_tokens`, `prompt_cache_key`, streaming.
 */
import type { JsonSchema } from "../core/index.js";
import { type ChatRequest, contentHashOf, type OutputRequest, type PromptSegment } from "./chat-request.js";
import { InvalidRequestError } from "./invalid-request-error.js";

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

function outputOf(body: Body): OutputRequest {
  const tools = (Array.isArray(body.tools) ? body.tools : []) as Body[];
  const choice = body.tool_choice;
  const functions = tools.filter((t) => t.type === "function");
  if (functions.length > 0 && choice !== "none") {
    let tool = functions[0] as Body;
    let named = false;
    if (typeof choice === "object" && choice !== null) {
      const name = (choice as Body).name;
      const found = functions.find((t) => t.name === name);
      if (!found) throw new InvalidRequestError(`Tool choice '${String(name)}' not found in 'tools' parameter.`, "tool_choice");
      tool = found;
      named = true;
    }
    return {
      kind: "tool",
      schema: ((tool.parameters as JsonSchema | undefined) ?? { type: "object", properties: {} }) as JsonSchema,
      name: String(tool.name ?? "tool"),
      namedTool: named,
    };
  }
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
    return { kind: "json_schema", schema: format.schema as JsonSchema, name: format.name };
  }
  if (format?.type === "json_object") return { kind: "json_object", schema: null, name: "json_object" };
  return { kind: "text", schema: null, name: "text" };
}

export function parseResponsesRequest(body: Body): ChatRequest {
  if (typeof body.model !== "string" || body.model === "") throw new InvalidRequestError("Missing required parameter: 'model'.", "model");
  if (typeof body.previous_response_id === "string") {
    // The simulator keeps no conversation state: as the real API does for an unknown id.
    throw new InvalidRequestError(`Previous response with id '${body.previous_response_id}' not found.`, "previous_response_id");
  }
  const output = outputOf(body);
  const segments: PromptSegment[] = [];
  if (output.kind === "tool") segments.push({ role: "tools", text: JSON.stringify(body.tools) });
  else if (output.kind === "json_schema") segments.push({ role: "tools", text: JSON.stringify(output.schema) });
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
  if (output.kind === "json_object" && !segments.some((s) => s.role !== "tools" && /json/i.test(s.text))) {
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
