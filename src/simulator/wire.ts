/**
 * One wire protocol the chat pipeline speaks: how a body is parsed into a `ChatRequest`, how errors are
 * shaped, how a whole reply is rendered and how a streamed one is written. The pipeline in chat-handler.ts
 * is the same for all of them; each protocol is one `Wire`.
 */
import type { GeneratedChoice } from "./answer.js";
import { anthropicMessage, anthropicUsage } from "./anthropic-response.js";
import { parseAnthropicRequest } from "./anthropic-request.js";
import { anthropicRequestId } from "./error-replies.js";
import type { ChatRequest } from "./chat-request.js";
import { openAICompletion, openAIUsage } from "./openai-response.js";
import { parseOpenAIRequest } from "./openai-request.js";
import type { PromptUsage } from "./prompt-cache.js";
import type { Protocol } from "./reply.js";
import { type StreamArgs, streamAnthropic, streamOpenAI } from "./sse.js";

/** What a whole (non-streamed) reply is rendered from. */
export interface RenderArgs {
  request: ChatRequest;
  requestId: string;
  created: number;
  choices: GeneratedChoice[];
  prompt: PromptUsage;
  outputTokens: number;
  reasoningTokens: number;
}

export interface Wire {
  /** The error body shape (and the context-overflow wording). */
  errors: Protocol;
  /** Request id prefix, e.g. "chatcmpl-", "msg_", "resp_". */
  idPrefix: string;
  /** Parses a body; `pathModel` is the model named in the URL (Gemini), when there is one. */
  parse(body: Record<string, unknown>, pathModel?: string): ChatRequest;
  render(args: RenderArgs): { body: unknown; headers: Record<string, string> };
  stream(args: StreamArgs): void;
  /** The first bytes of a whole reply, for a connection dropped while the body is being sent. */
  cutPrefix(requestId: string): string;
}

export const CHAT_WIRE: Wire = {
  errors: "openai",
  idPrefix: "chatcmpl-",
  parse: (body) => parseOpenAIRequest(body),
  render: (a) => ({
    body: openAICompletion(a.request, {
      requestId: a.requestId,
      created: a.created,
      choices: a.choices,
      usage: openAIUsage(a.prompt, a.outputTokens, a.reasoningTokens),
    }),
    headers: { "x-request-id": a.requestId, "openai-processing-ms": "1" },
  }),
  stream: streamOpenAI,
  cutPrefix: (id) => `{"id":"${id}","object":"chat.completion","choices":[{"index":0,"message":{"role":"assistant","content":"`,
};

export const MESSAGES_WIRE: Wire = {
  errors: "anthropic",
  idPrefix: "msg_",
  parse: (body) => parseAnthropicRequest(body),
  render: (a) => ({
    body: anthropicMessage(a.request, a.requestId, a.choices[0] as GeneratedChoice, anthropicUsage(a.prompt, a.outputTokens)),
    headers: { "request-id": anthropicRequestId(a.requestId) },
  }),
  stream: streamAnthropic,
  cutPrefix: (id) => `{"id":"${id}","type":"message","role":"assistant","content":[{"type":"text","text":"`,
};
