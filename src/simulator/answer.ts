/**
 * Produces the choices of one reply: a schema-valid (or ground-truth) value or free text, then the
 * content-level fault applied (truncate, refusal, contentFilter, malformed, wrongShape, leak) and the
 * max-token cut. Transport faults (hang, reset, HTTP errors) are handled by the server before this.
 */
import type { JsonSchema } from "../core/index.js";
import type { ChatRequest } from "./chat-request.js";
import type { FaultName, ModelCard, NormalizedConfig, ScriptedReply } from "./config.js";
import { applyGroundTruth, findGroundTruth } from "./ground-truth.js";
import { applyLeak, applyPrivateContextFlag } from "./leak.js";
import { makeMalformed } from "./malformed.js";
import type { Rng } from "./random.js";
import { generateBounded } from "./schema-instance.js";
import { countTokens, truncateToTokens } from "./tokens.js";
import { paragraph, sentence } from "./words.js";
import { makeWrongShape } from "./wrong-shape.js";

export type ChoiceFinish = "stop" | "length" | "content_filter" | "refusal";

export interface GeneratedChoice {
  /** The content text as sent; for a tool call, the arguments text. null only for a refusal (OpenAI). */
  text: string | null;
  /** For a tool call on Anthropic: the `input` object (always an object, even when truncated). */
  toolInput?: Record<string, unknown>;
  /** True when the reply is a tool call (OpenAI tool_calls, Anthropic tool_use). */
  toolCall: boolean;
  /** Further tool calls made in parallel with the first (their arguments text and input object). */
  moreCalls?: Array<{ name: string; text: string; input: Record<string, unknown> }>;
  finishReason: ChoiceFinish;
  refusal?: string;
  outputTokens: number;
  /** Which content fault shaped this choice (for stats and debugging), if any. */
  fault: FaultName | null;
}

export const REFUSAL_MESSAGE = "I'm sorry, but I can't help with that request.";

const CONTENT_FAULTS: FaultName[] = ["truncate", "refusal", "contentFilter", "malformed", "wrongShape", "leak"];

interface AnswerContext {
  config: NormalizedConfig;
  card: ModelCard;
  request: ChatRequest;
  /** Content randomness for choice i (depends on seed, request, and at temperature > 0 on i and seed). */
  contentRng: (choiceIndex: number) => Rng;
  /** Randomness for fault forms and per-choice fault draws. */
  faultRng: Rng;
  /** The request-level fault (already chosen). */
  fault: FaultName | null;
  /** Whether the fault was forced (header or script) so applies to every choice. */
  forced: boolean;
  scripted: ScriptedReply | undefined;
}

function isJsonOutput(request: ChatRequest): boolean {
  return request.output.kind !== "text";
}

/** The output limit in tokens: the request's max tokens, the card's, or a model's usual 16k. */
function outputLimit(ctx: AnswerContext): number {
  return Math.min(ctx.request.maxTokens ?? 16_384, ctx.card.maxOutputTokens ?? Number.POSITIVE_INFINITY, 128_000);
}

/** The answer value, and whether the schema demanded more than the output limit holds. */
function baseValue(ctx: AnswerContext, rng: Rng): { value: unknown; exhausted: boolean } {
  const { request, config, card } = ctx;
  const schema = request.output.schema;
  const truth = findGroundTruth(config.groundTruth, request.lastUserText);
  // Generated JSON averages well over 2 characters a token, so this budget always reaches the limit.
  const generated = schema
    ? generateBounded(schema, rng, outputLimit(ctx) * 8 + 64)
    : { value: truth ? {} : { answer: sentence(rng) }, exhausted: false };
  let value = generated.value;
  if (truth) value = applyGroundTruth(value, schema, { truth, accuracy: card.accuracy ?? 1, rng });
  return { value, exhausted: generated.exhausted };
}

/** Cuts serialised JSON inside a value so it cannot parse. */
function cutMidValue(text: string, rng: Rng): string {
  const re = /"((?:[^"\\]|\\.){2,})"/g;
  const strings: RegExpExecArray[] = [];
  for (let m = re.exec(text); m !== null; m = re.exec(text)) {
    if (text[m.index + m[0].length] !== ":") strings.push(m); // string values, not keys
  }
  const pool = strings.filter((m) => m.index > text.length * 0.3);
  const m = pool.length > 0 ? rng.pick(pool) : strings[strings.length - 1];
  if (m) return text.slice(0, m.index + 1 + Math.max(1, Math.floor((m[1] as string).length / 2)));
  return text.slice(0, Math.max(1, Math.floor(text.length * 0.6)));
}

/** The fields of an object up to the cut, the last string cut in half (an Anthropic tool input at max_tokens). */
function partialObject(value: unknown): Record<string, unknown> {
  if (value === null || typeof value !== "object" || Array.isArray(value)) return {};
  const entries = Object.entries(value as Record<string, unknown>);
  const kept = entries.slice(0, Math.max(1, Math.ceil(entries.length / 2)));
  const last = kept[kept.length - 1];
  if (last && typeof last[1] === "string") last[1] = last[1].slice(0, Math.ceil(last[1].length / 2));
  return Object.fromEntries(kept);
}

function asObject(value: unknown): Record<string, unknown> {
  return value !== null && typeof value === "object" && !Array.isArray(value) ? (value as Record<string, unknown>) : { value };
}

function choiceFault(ctx: AnswerContext, index: number): FaultName | null {
  if (index === 0 || ctx.forced) return ctx.fault && CONTENT_FAULTS.includes(ctx.fault) ? ctx.fault : null;
  const faults = ctx.card.faults ?? {};
  const u = ctx.faultRng.next();
  let acc = 0;
  for (const name of CONTENT_FAULTS) {
    acc += faults[name] ?? 0;
    if (u < acc) return name;
  }
  return null;
}

function scriptedChoice(ctx: AnswerContext, scripted: ScriptedReply): GeneratedChoice | null {
  const toolCall = ctx.request.output.kind === "tool";
  if (scripted.refusal !== undefined) {
    return {
      text: null,
      toolCall: false,
      finishReason: "refusal",
      refusal: scripted.refusal,
      outputTokens: countTokens(scripted.refusal),
      fault: null,
    };
  }
  if (scripted.text === undefined && scripted.json === undefined) return null;
  const text = scripted.text ?? JSON.stringify(scripted.json);
  const finishReason = scripted.finishReason ?? "stop";
  let toolInput: Record<string, unknown> | undefined;
  if (toolCall) {
    let parsed: unknown = scripted.json;
    if (scripted.json === undefined) {
      try {
        parsed = JSON.parse(text);
      } catch {
        parsed = undefined;
      }
    }
    if (parsed === undefined || parsed === null || typeof parsed !== "object" || Array.isArray(parsed)) {
      // Scripted text stays text: the model answered in prose instead of calling the tool.
      return { text, toolCall: false, finishReason, outputTokens: countTokens(text), fault: null };
    }
    if (ctx.request.protocol === "anthropic") toolInput = parsed as Record<string, unknown>;
  }
  return { text, toolInput, toolCall, finishReason, outputTokens: countTokens(text), fault: null };
}

function generateChoice(ctx: AnswerContext, index: number): GeneratedChoice {
  const { request, card } = ctx;
  const rng = ctx.contentRng(index);
  const fault = choiceFault(ctx, index);
  const toolCall = request.output.kind === "tool";
  const anthropicTool = toolCall && request.protocol === "anthropic";
  const formRng = ctx.faultRng.fork(`choice${index}`);

  if (fault === "refusal") {
    return {
      text: null,
      toolCall: false,
      finishReason: "refusal",
      refusal: REFUSAL_MESSAGE,
      outputTokens: countTokens(REFUSAL_MESSAGE),
      fault,
    };
  }

  let value: unknown;
  let text: string;
  let toolInput: Record<string, unknown> | undefined;
  let exhausted = false;
  if (isJsonOutput(request)) {
    ({ value, exhausted } = baseValue(ctx, rng));
    value = applyPrivateContextFlag(value, request, card, rng);
    if (fault === "leak") value = applyLeak(value, request, card, formRng);
    if (fault === "wrongShape") value = makeWrongShape(request.output.schema ?? {}, value, formRng).value;
    text = JSON.stringify(value);
    if (anthropicTool) toolInput = asObject(value);
    if (fault === "malformed") {
      text = makeMalformed(value, formRng).text;
      if (anthropicTool) {
        // Anthropic always returns an object as tool input: the broken JSON ends up inside a string field.
        const firstKey = Object.keys(asObject(value))[0] ?? "result";
        toolInput = { [firstKey]: text };
        text = JSON.stringify(toolInput);
      }
    }
  } else {
    text = paragraph(rng, rng.int(2, 4));
    if (fault === "leak") text = applyLeak(text, request, card, formRng) as string;
  }

  let finishReason: ChoiceFinish = "stop";
  if (fault === "truncate") {
    finishReason = "length";
    if (anthropicTool) {
      toolInput = partialObject(value);
      text = JSON.stringify(toolInput);
    } else {
      text = isJsonOutput(request) ? cutMidValue(text, formRng) : text.slice(0, Math.max(1, Math.floor(text.length * 0.5)));
    }
  } else if (fault === "contentFilter") {
    finishReason = "content_filter";
    text = text.slice(0, Math.floor(text.length * 0.4));
  }

  let outputTokens = countTokens(text);
  const limit = outputLimit(ctx);
  if (exhausted && outputTokens <= limit) {
    // The schema asked for more than fits: the model writes until its limit and stops mid-value.
    text = cutMidValue(text, formRng);
    outputTokens = countTokens(text);
    finishReason = "length";
    if (anthropicTool) {
      toolInput = partialObject(value);
      text = JSON.stringify(toolInput);
    }
  } else if (outputTokens > limit) {
    text = truncateToTokens(text, limit);
    outputTokens = countTokens(text);
    finishReason = "length";
    if (anthropicTool) {
      toolInput = partialObject(value);
      text = JSON.stringify(toolInput);
    }
  }
  const moreCalls = toolCall && finishReason === "stop" ? parallelCalls(ctx, rng) : undefined;
  if (moreCalls) outputTokens += moreCalls.reduce((sum, c) => sum + countTokens(c.text), 0);
  return { text, toolInput, toolCall, finishReason, outputTokens, fault, ...(moreCalls ? { moreCalls } : {}) };
}

/** The arguments of the tools called alongside the first one, each from its own schema. */
function parallelCalls(ctx: AnswerContext, rng: Rng): GeneratedChoice["moreCalls"] {
  const parallel = ctx.request.output.parallel;
  if (!parallel || parallel.length === 0) return undefined;
  return parallel.map((tool) => {
    const input = asObject(generateBounded(tool.schema, rng.fork(tool.name), outputLimit(ctx) * 8 + 64).value);
    return { name: tool.name, text: JSON.stringify(input), input };
  });
}

export function generateChoices(ctx: AnswerContext): GeneratedChoice[] {
  const choices: GeneratedChoice[] = [];
  for (let i = 0; i < ctx.request.n; i++) {
    const scripted = ctx.scripted && i === 0 ? scriptedChoice(ctx, ctx.scripted) : null;
    choices.push(scripted ?? generateChoice(ctx, i));
  }
  return choices;
}

export type { AnswerContext };
export type { JsonSchema };
