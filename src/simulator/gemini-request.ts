/**
 * Parses a Gemini `generateContent` body into a `ChatRequest`: `systemInstruction`, `contents` (user / model
 * turns of text parts), `generationConfig` (responseMimeType with responseJsonSchema or responseSchema,
 * temperature, maxOutputTokens, candidateCount, seed, thinkingConfig), function declarations. The model
 * comes from the URL.
 */
import type { JsonSchema } from "../core/index.js";
import { type ChatRequest, contentHashOf, type OutputRequest, type PromptSegment } from "./chat-request.js";
import { InvalidRequestError } from "./invalid-request-error.js";

type Body = Record<string, unknown>;

/** Thinking tokens spent when the budget is dynamic (-1) or not given to a thinking model. */
const DYNAMIC_THINKING_TOKENS = 128;

function partsText(content: unknown): string {
  const parts = (content as Body | undefined)?.parts;
  if (!Array.isArray(parts)) return "";
  return parts
    .map((part) => {
      const p = part as Body;
      if (typeof p.text === "string") return p.text;
      if (p.functionCall) return JSON.stringify(p.functionCall);
      if (p.functionResponse) return JSON.stringify(p.functionResponse);
      return "";
    })
    .join("");
}

function outputOf(body: Body, config: Body): OutputRequest {
  const declarations = ((Array.isArray(body.tools) ? body.tools : []) as Body[]).flatMap((t) =>
    Array.isArray(t.functionDeclarations) ? (t.functionDeclarations as Body[]) : [],
  );
  const calling = (((body.toolConfig ?? {}) as Body).functionCallingConfig ?? {}) as Body;
  if (declarations.length > 0 && calling.mode !== "NONE") {
    const allowed = Array.isArray(calling.allowedFunctionNames) ? (calling.allowedFunctionNames as string[]) : [];
    const tool = declarations.find((d) => allowed.length === 0 || allowed.includes(String(d.name))) ?? (declarations[0] as Body);
    const schema = (tool.parametersJsonSchema ?? tool.parameters ?? { type: "object", properties: {} }) as JsonSchema;
    return { kind: "tool", schema, name: String(tool.name ?? "tool"), namedTool: calling.mode === "ANY" };
  }
  if (config.responseJsonSchema !== undefined && config.responseSchema !== undefined) {
    throw new InvalidRequestError("responseJsonSchema and responseSchema cannot both be set.");
  }
  const schema = (config.responseJsonSchema ?? config.responseSchema) as JsonSchema | undefined;
  if (schema !== undefined) {
    if (config.responseMimeType !== "application/json") {
      throw new InvalidRequestError("responseMimeType must be application/json when a response schema is set.");
    }
    return { kind: "json_schema", schema, name: "response" };
  }
  if (config.responseMimeType === "application/json") return { kind: "json_object", schema: null, name: "json_object" };
  return { kind: "text", schema: null, name: "text" };
}

export function parseGeminiRequest(body: Body, model: string, stream: boolean): ChatRequest {
  if (!Array.isArray(body.contents) || body.contents.length === 0) {
    throw new InvalidRequestError("* GenerateContentRequest.contents: contents is not specified");
  }
  const config = (body.generationConfig ?? {}) as Body;
  const output = outputOf(body, config);
  const segments: PromptSegment[] = [];
  if (output.kind !== "text" && output.schema) segments.push({ role: "tools", text: JSON.stringify(output.schema) });
  const system = partsText(body.systemInstruction);
  if (system) segments.push({ role: "system", text: system });
  let lastUserText = "";
  for (const raw of body.contents as Body[]) {
    if (raw.role !== undefined && raw.role !== "user" && raw.role !== "model" && raw.role !== "function") {
      throw new InvalidRequestError(`Please use a valid role: user, model.`);
    }
    const role = raw.role === "model" ? "assistant" : "user";
    const text = partsText(raw);
    segments.push({ role, text });
    if (role === "user") lastUserText = text;
  }
  const n = config.candidateCount === undefined ? 1 : Number(config.candidateCount);
  if (!Number.isInteger(n) || n < 1 || n > 8) throw new InvalidRequestError("candidateCount must be between 1 and 8.");
  const thinking = (config.thinkingConfig ?? {}) as Body;
  const budget = typeof thinking.thinkingBudget === "number" ? thinking.thinkingBudget : undefined;
  const reasoningTokens = budget === undefined ? 0 : budget < 0 ? DYNAMIC_THINKING_TOKENS : Math.min(budget, DYNAMIC_THINKING_TOKENS);
  const temperature = typeof config.temperature === "number" ? config.temperature : 1;
  return {
    protocol: "openai",
    model,
    segments,
    lastUserText,
    promptText: segments.map((s) => s.text).join("\n"),
    output,
    n,
    temperature,
    seed: typeof config.seed === "number" ? config.seed : undefined,
    maxTokens: typeof config.maxOutputTokens === "number" ? config.maxOutputTokens : undefined,
    stream,
    includeUsage: true,
    cacheKey: undefined,
    ...(typeof body.cachedContent === "string" ? { cachedContent: body.cachedContent } : {}),
    reasoningTokens,
    contentHash: contentHashOf(model, temperature, output, segments),
  };
}
