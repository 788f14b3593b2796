/**
 * Streaming replies as server-sent events: OpenAI `chat.completion.chunk`s (content / refusal / tool-call
 * argument deltas, a final usage chunk with `stream_options.include_usage`, `[DONE]`) and Anthropic's
 * message_start … message_stop events; paced by the model card, cut mid-way by the `streamCut` fault.
 */
import { anthropicRequestId } from "./error-replies.js";
import type { ServerResponse } from "node:http";
import type { GeneratedChoice } from "./answer.js";
import { anthropicContent, anthropicStopReason, anthropicUsage } from "./anthropic-response.js";
import type { ChatRequest } from "./chat-request.js";
import type { ModelCard } from "./config.js";
import { openAIFinishReason, openAIToolCalls, openAIUsage } from "./openai-response.js";
import type { PromptUsage } from "./prompt-cache.js";
import type { Rng } from "./random.js";
import { type Pending, guarded } from "./reply.js";
import { splitByTokens } from "./tokens.js";

/** Output tokens per content delta. */
export const TOKENS_PER_DELTA = 3;

export interface StreamArgs {
  res: ServerResponse;
  request: ChatRequest;
  requestId: string;
  created: number;
  choices: GeneratedChoice[];
  prompt: PromptUsage;
  outputTokens: number;
  /** Of the output tokens, those spent on hidden reasoning. */
  reasoningTokens: number;
  card: ModelCard;
  /** The streamCut fault: destroy the socket part-way through the content. */
  cut: boolean;
  pending: Pending;
  rng: Rng;
}

/** A frame to write and whether it carries generated tokens (and so is paced). */
export interface Frame {
  data: string;
  paced: boolean;
}

export function pieces(text: string): string[] {
  return text.length === 0 ? [] : splitByTokens(text, TOKENS_PER_DELTA);
}

export function writeFrames(args: StreamArgs, frames: Frame[], headers: Record<string, string>) {
  const { res, card, pending } = args;
  res.writeHead(200, {
    ...headers,
    "content-type": "text/event-stream; charset=utf-8",
    "cache-control": "no-cache",
    connection: "keep-alive",
  });
  const content = frames.filter((f) => f.paced).length;
  const cutAt = args.cut ? Math.max(1, Math.floor(frames.findIndex((f) => f.paced) + Math.max(1, content / 2))) : -1;
  const tps = card.tokensPerSecond ?? 0;
  const stepMs = tps > 0 ? (TOKENS_PER_DELTA / tps) * 1000 : 0;
  let i = 0;
  const pump = () => {
    pending.timer = undefined;
    if (res.destroyed) return;
    let batch = "";
    while (i < frames.length) {
      if (i === cutAt) {
        pending.serverClosed = true;
        cutAfter(res, batch);
        return;
      }
      const frame = frames[i++] as Frame;
      batch += frame.data;
      if (frame.paced && stepMs > 0 && i < frames.length) {
        res.write(batch);
        pending.timer = setTimeout(guarded(res, pump), stepMs);
        return;
      }
    }
    res.end(batch);
  };
  pump();
}

/** Writes what was produced so far, then destroys the socket once those bytes reached the kernel. */
export function cutAfter(res: ServerResponse, partial: string) {
  const socket = res.socket;
  if (!socket) return;
  res.write(partial.length > 0 ? partial : "\n", () => socket.destroy());
}

export const sse = (data: unknown) => `data: ${JSON.stringify(data)}\n\n`;
export const event = (name: string, data: unknown) => `event: ${name}\ndata: ${JSON.stringify(data)}\n\n`;

export function streamOpenAI(args: StreamArgs) {
  const { request, requestId, created, choices } = args;
  const base = {
    id: requestId,
    object: "chat.completion.chunk",
    created,
    model: request.model,
    service_tier: "default",
    system_fingerprint: "fp_ballast_sim",
  };
  const withUsage = request.includeUsage ? { usage: null } : {};
  const chunk = (index: number, delta: Record<string, unknown>, finish: string | null) =>
    sse({ ...base, choices: [{ index, delta, logprobs: null, finish_reason: finish }], ...withUsage });
  const perChoice: Frame[][] = choices.map((choice, index) => {
    const frames: Frame[] = [];
    if (choice.finishReason === "refusal") {
      frames.push({ data: chunk(index, { role: "assistant", content: null, refusal: "" }, null), paced: false });
      for (const p of pieces(choice.refusal ?? "")) frames.push({ data: chunk(index, { refusal: p }, null), paced: true });
    } else if (choice.toolCall && request.output.legacyFunction) {
      const call = { name: request.output.name, arguments: "" };
      frames.push({ data: chunk(index, { role: "assistant", content: null, function_call: call, refusal: null }, null), paced: false });
      for (const p of pieces(choice.text ?? ""))
        frames.push({ data: chunk(index, { function_call: { arguments: p } }, null), paced: true });
    } else if (choice.toolCall) {
      openAIToolCalls(choice, request, requestId, index).forEach((call, k) => {
        const start = { index: k, id: call.id, type: "function", function: { name: call.function.name, arguments: "" } };
        const first = k === 0 ? { role: "assistant", content: null, refusal: null } : {};
        frames.push({ data: chunk(index, { ...first, tool_calls: [start] }, null), paced: false });
        for (const p of pieces(call.function.arguments)) {
          frames.push({ data: chunk(index, { tool_calls: [{ index: k, function: { arguments: p } }] }, null), paced: true });
        }
      });
    } else {
      frames.push({ data: chunk(index, { role: "assistant", content: "", refusal: null }, null), paced: false });
      for (const p of pieces(choice.text ?? "")) frames.push({ data: chunk(index, { content: p }, null), paced: true });
    }
    frames.push({ data: chunk(index, {}, openAIFinishReason(choice, request)), paced: false });
    return frames;
  });
  // Interleave choices round-robin, as the API does for n > 1; choices are generated in parallel, so one
  // pause per step (after its last frame), not one per choice.
  const frames: Frame[] = [];
  for (let step = 0; perChoice.some((f) => step < f.length); step++) {
    const group = perChoice.flatMap((f) => (step < f.length ? [{ ...(f[step] as Frame), paced: false }] : []));
    const paced = perChoice.some((f) => f[step]?.paced === true);
    (group[group.length - 1] as Frame).paced = paced;
    frames.push(...group);
  }
  if (request.includeUsage) {
    frames.push({
      data: sse({ ...base, choices: [], usage: openAIUsage(args.prompt, args.outputTokens, args.reasoningTokens) }),
      paced: false,
    });
  }
  frames.push({ data: "data: [DONE]\n\n", paced: false });
  writeFrames(args, frames, { "x-request-id": requestId });
}

export function streamAnthropic(args: StreamArgs) {
  const { request, requestId } = args;
  const choice = args.choices[0] as GeneratedChoice;
  const usage = anthropicUsage(args.prompt, args.outputTokens);
  const frames: Frame[] = [];
  frames.push({
    data: event("message_start", {
      type: "message_start",
      message: {
        id: requestId,
        type: "message",
        role: "assistant",
        model: request.model,
        content: [],
        stop_reason: null,
        stop_sequence: null,
        usage: { ...usage, output_tokens: 1 },
      },
    }),
    paced: false,
  });
  const blocks = anthropicContent(choice, request, requestId);
  blocks.forEach((block, index) => {
    if (block.type === "tool_use") {
      frames.push({
        data: event("content_block_start", { type: "content_block_start", index, content_block: { ...block, input: {} } }),
        paced: false,
      });
      if (index === 0) frames.push({ data: event("ping", { type: "ping" }), paced: false });
      for (const p of pieces(JSON.stringify(block.input))) {
        frames.push({
          data: event("content_block_delta", { type: "content_block_delta", index, delta: { type: "input_json_delta", partial_json: p } }),
          paced: true,
        });
      }
    } else {
      frames.push({
        data: event("content_block_start", { type: "content_block_start", index, content_block: { type: "text", text: "" } }),
        paced: false,
      });
      if (index === 0) frames.push({ data: event("ping", { type: "ping" }), paced: false });
      for (const p of pieces(block.text)) {
        frames.push({
          data: event("content_block_delta", { type: "content_block_delta", index, delta: { type: "text_delta", text: p } }),
          paced: true,
        });
      }
    }
    frames.push({ data: event("content_block_stop", { type: "content_block_stop", index }), paced: false });
  });
  const stopReason = anthropicStopReason(choice);
  frames.push({
    data: event("message_delta", {
      type: "message_delta",
      delta: {
        stop_reason: stopReason,
        stop_sequence: null,
        stop_details: stopReason === "refusal" ? { type: "refusal", category: null, explanation: null } : null,
      },
      usage: {
        output_tokens: args.outputTokens,
        input_tokens: usage.input_tokens,
        cache_creation_input_tokens: usage.cache_creation_input_tokens,
        cache_read_input_tokens: usage.cache_read_input_tokens,
      },
    }),
    paced: false,
  });
  frames.push({ data: event("message_stop", { type: "message_stop" }), paced: false });
  writeFrames(args, frames, { "request-id": anthropicRequestId(requestId) });
}
