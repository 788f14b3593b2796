/**
 * The OpenAI Responses API on the wire: a `response` object (reasoning item, message with output_text or
 * refusal, or one function_call item per call; `incomplete` status on max_output_tokens or content_filter; usage with cached
 * and reasoning tokens) and its streamed events in the API's order, each with a `sequence_number`.
 */
import type { GeneratedChoice } from "./answer.js";
import type { ChatRequest } from "./chat-request.js";
import type { PromptUsage } from "./prompt-cache.js";
import { parseResponsesRequest } from "./responses-request.js";
import { rememberItem } from "./responses-store.js";
import { type Frame, type StreamArgs, event, pieces, writeFrames } from "./sse.js";
import type { RenderArgs, Wire } from "./wire.js";

type Item = Record<string, unknown>;

function usageOf(prompt: PromptUsage, outputTokens: number, reasoningTokens: number) {
  return {
    input_tokens: prompt.promptTokens,
    input_tokens_details: { cached_tokens: prompt.cachedTokens },
    output_tokens: outputTokens,
    output_tokens_details: { reasoning_tokens: reasoningTokens },
    total_tokens: prompt.promptTokens + outputTokens,
  };
}

const suffix = (requestId: string) => requestId.slice(5);

/** The output items of a finished reply, in order. */
function outputItems(choice: GeneratedChoice, request: ChatRequest, requestId: string, reasoningTokens: number): Item[] {
  const items: Item[] = [];
  if (reasoningTokens > 0) items.push({ id: `rs_${suffix(requestId)}`, type: "reasoning", summary: [] });
  if (choice.toolCall && choice.finishReason !== "refusal") {
    // the first call, then those made in parallel, each its own output item
    const calls = [{ name: request.output.name, text: choice.text ?? "" }, ...(choice.moreCalls ?? [])];
    for (const [k, call] of calls.entries()) {
      const tail = k === 0 ? suffix(requestId) : `${suffix(requestId)}_${k}`;
      const item = {
        id: `fc_${tail}`,
        type: "function_call",
        status: "completed",
        arguments: call.text,
        call_id: `call_${tail}`,
        name: call.name,
      };
      rememberItem(item);
      items.push(item);
    }
    return items;
  }
  const content =
    choice.finishReason === "refusal"
      ? { type: "refusal", refusal: choice.refusal ?? "" }
      : { type: "output_text", text: choice.text ?? "", annotations: [], logprobs: [] };
  const status = choice.finishReason === "stop" || choice.finishReason === "refusal" ? "completed" : "incomplete";
  items.push({ id: `msg_${suffix(requestId)}`, type: "message", status, role: "assistant", content: [content] });
  return items;
}

function incompleteReason(choice: GeneratedChoice): string | null {
  if (choice.finishReason === "length") return "max_output_tokens";
  if (choice.finishReason === "content_filter") return "content_filter";
  return null;
}

function textFormat(request: ChatRequest) {
  const { output } = request;
  if (output.kind === "json_schema") return { type: "json_schema", name: output.name, schema: output.schema, strict: true };
  if (output.kind === "json_object") return { type: "json_object" };
  return { type: "text" };
}

function responseObject(
  request: ChatRequest,
  requestId: string,
  created: number,
  finished: { output: Item[]; status: string; incomplete: string | null; usage: unknown } | null,
) {
  return {
    id: requestId,
    object: "response",
    created_at: created,
    status: finished?.status ?? "in_progress",
    background: false,
    error: null,
    incomplete_details: finished?.incomplete ? { reason: finished.incomplete } : null,
    instructions: null,
    max_output_tokens: request.maxTokens ?? null,
    model: request.model,
    output: finished?.output ?? [],
    parallel_tool_calls: true,
    previous_response_id: null,
    reasoning: { effort: null, summary: null },
    service_tier: "default",
    store: false,
    temperature: request.temperature,
    text: { format: textFormat(request) },
    tool_choice: request.output.kind === "tool" ? { type: "function", name: request.output.name } : "auto",
    tools: [],
    top_p: 1,
    truncation: "disabled",
    usage: finished?.usage ?? null,
    user: null,
    metadata: {},
  };
}

function finished(a: RenderArgs) {
  const choice = a.choices[0] as GeneratedChoice;
  const incomplete = incompleteReason(choice);
  return {
    output: outputItems(choice, a.request, a.requestId, a.reasoningTokens),
    status: incomplete ? "incomplete" : "completed",
    incomplete,
    usage: usageOf(a.prompt, a.outputTokens, a.reasoningTokens),
  };
}

/** Events of one output item, from output_item.added to output_item.done. */
function itemEvents(item: Item, index: number, emit: (type: string, data: Item, paced?: boolean) => void) {
  const base = { output_index: index };
  if (item.type === "reasoning") {
    emit("response.output_item.added", { ...base, item });
    emit("response.output_item.done", { ...base, item });
    return;
  }
  if (item.type === "function_call") {
    emit("response.output_item.added", { ...base, item: { ...item, status: "in_progress", arguments: "" } });
    for (const delta of pieces(String(item.arguments))) {
      emit("response.function_call_arguments.delta", { ...base, item_id: item.id, delta }, true);
    }
    emit("response.function_call_arguments.done", { ...base, item_id: item.id, name: item.name, arguments: item.arguments });
    emit("response.output_item.done", { ...base, item });
    return;
  }
  const part = (item.content as Item[])[0] as Item;
  const at = { ...base, item_id: item.id, content_index: 0 };
  emit("response.output_item.added", { ...base, item: { ...item, status: "in_progress", content: [] } });
  if (part.type === "refusal") {
    emit("response.content_part.added", { ...at, part: { type: "refusal", refusal: "" } });
    for (const delta of pieces(String(part.refusal))) emit("response.refusal.delta", { ...at, delta }, true);
    emit("response.refusal.done", { ...at, refusal: part.refusal });
  } else {
    emit("response.content_part.added", { ...at, part: { type: "output_text", text: "", annotations: [], logprobs: [] } });
    for (const delta of pieces(String(part.text))) emit("response.output_text.delta", { ...at, delta, logprobs: [] }, true);
    emit("response.output_text.done", { ...at, text: part.text, logprobs: [] });
  }
  emit("response.content_part.done", { ...at, part });
  emit("response.output_item.done", { ...base, item });
}

function streamResponses(args: StreamArgs) {
  const { request, requestId, created } = args;
  const done = finished(args);
  const frames: Frame[] = [];
  let sequence = 0;
  const emit = (type: string, data: Item, paced = false) => {
    frames.push({ data: event(type, { type, sequence_number: sequence++, ...data }), paced });
  };
  const pendingResponse = responseObject(request, requestId, created, null);
  emit("response.created", { response: pendingResponse });
  emit("response.in_progress", { response: pendingResponse });
  for (const [index, item] of done.output.entries()) itemEvents(item, index, emit);
  emit(done.status === "completed" ? "response.completed" : "response.incomplete", {
    response: responseObject(request, requestId, created, done),
  });
  writeFrames(args, frames, { "x-request-id": requestId });
}

export const RESPONSES_WIRE: Wire = {
  errors: "openai",
  idPrefix: "resp_",
  parse: (body) => parseResponsesRequest(body),
  render: (a) => ({
    body: responseObject(a.request, a.requestId, a.created, finished(a)),
    headers: { "x-request-id": a.requestId, "openai-processing-ms": "1" },
  }),
  stream: streamResponses,
  cutPrefix: (id) =>
    `{"id":"${id}","object":"response","status":"completed","output":[{"type":"message","content":[{"type":"output_text","text":"`,
};
