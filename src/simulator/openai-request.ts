/**
 * Parses an OpenAI Chat Completions request body into a `ChatRequest`: messages, `response_format`
 * (json_schema / json_object), tools and tool_choice, n, temperature, seed, max tokens, streaming options.
 */
import type { JsonSchema } from "../schema/json-schema.js";
import { type ChatRequest, contentHashOf, type OutputRequest, type PromptSegment } from "./chat-request.js";
import { InvalidRequestError } from "./invalid-request-error.js";

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

function outputOf(body: Body): OutputRequest {
  const tools = Array.isArray(body.tools) ? (body.tools as Array<Record<string, unknown>>) : [];
  const choice = body.tool_choice;
  if (tools.length > 0 && choice !== "none") {
    let tool = tools[0];
    let named = false;
    if (typeof choice === "object" && choice !== null) {
      const name = ((choice as Body).function as Body | undefined)?.name;
      tool = tools.find((t) => (t.function as Body | undefined)?.name === name);
      if (!tool) throw new InvalidRequestError(`Tool choice '${String(name)}' not found in 'tools' parameter.`, "tool_choice");
      named = true;
    }
    const fn = (tool?.function ?? {}) as Body;
    return {
      kind: "tool",
      schema: ((fn.parameters as JsonSchema | undefined) ?? { type: "object", properties: {} }) as JsonSchema,
      name: String(fn.name ?? "tool"),
      namedTool: named,
    };
  }
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
    return { kind: "json_schema", schema: (spec.schema ?? {}) as JsonSchema, name: spec.name };
  }
  if (format?.type === "json_object") return { kind: "json_object", schema: null, name: "json_object" };
  return { kind: "text", schema: null, name: "text" };
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
  const output = outputOf(body);
  const segments: PromptSegment[] = [];
  if (output.kind === "tool") segments.push({ role: "tools", text: JSON.stringify(body.tools) });
  else if (output.kind === "json_schema") segments.push({ role: "tools", text: JSON.stringify(output.schema) });
  let lastUserText = "";
  for (const raw of body.messages as Array<Record<string, unknown>>) {
    const role = raw.role === "system" || raw.role === "developer" ? "system" : raw.role === "assistant" ? "assistant" : "user";
    const text = messageText(raw);
    segments.push({ role, text });
    if (raw.role === "user") lastUserText = text;
  }
  if (output.kind === "json_object" && !segments.some((s) => s.role !== "tools" && /json/i.test(s.text))) {
    // As the real API: JSON mode needs the word "json" somewhere in the messages.
    throw new InvalidRequestError(
      "'messages' must contain the word 'json' in some form, to use 'response_format' of type 'json_object'.",
      "messages",
    );
  }
  const n = body.n === undefined || body.n === null ? 1 : Number(body.n);
  if (!Number.isInteger(n) || n < 1 || n > 128)
    throw new InvalidRequestError(`Invalid 'n': integer must be between 1 and 128.`, "n", "integer_out_of_range");
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
