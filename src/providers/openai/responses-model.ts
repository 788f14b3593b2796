/**
 * The Responses API adapter over the official `openai` SDK (`client.responses.create`): the answer is the
 * message's output_text (or the forced function call's arguments); a refusal part is a refusal; status
 * `incomplete` is a cut (max_output_tokens) or a content filter; streaming reads the typed events.
 */
import type OpenAI from "openai";
import { ConnectionError, ProviderHttpError } from "../../errors/index.js";
import { mapProviderError } from "../map-error.js";
import { requestOptions } from "../request-options.js";
import {
  type FinishReason,
  type LanguageModel,
  type ModelRequest,
  type ModelResponse,
  type StreamPart,
  type Usage,
  capabilitiesOf,
} from "../../core/index.js";
import { type OpenAIModelOptions, lazyClient, openAICredentials, openAIKey, providerFor } from "./options.js";
import { buildResponsesBody, toResponsesUsage } from "./responses-body.js";

type ResponseObject = OpenAI.Responses.Response;

function finishOf(response: Pick<ResponseObject, "status" | "incomplete_details">): FinishReason {
  if (response.status === "completed") return "stop";
  if (response.status === "incomplete") {
    return response.incomplete_details?.reason === "content_filter" ? "content_filter" : "length";
  }
  return "other";
}

/** The answer text (output_text parts, or the function call's arguments) and any refusal of a response. */
function answerOf(response: ResponseObject): { text: string; refusal?: string } {
  let text = "";
  let refusal: string | undefined;
  for (const item of response.output ?? []) {
    if (item.type === "function_call") return { text: item.arguments };
    if (item.type !== "message") continue;
    for (const part of item.content) {
      if (part.type === "output_text") text += part.text;
      else if (part.type === "refusal") refusal = (refusal ?? "") + part.refusal;
    }
  }
  return refusal !== undefined ? { text, refusal } : { text };
}

/** A LanguageModel over the Responses API (`openai(model, { api: "responses" })`). */
export function openAIResponses(model: string, options: OpenAIModelOptions): LanguageModel {
  const getClient = lazyClient(options);
  const mode = options.mode ?? "json_schema";
  const caps = capabilitiesOf("openai", model, { ...options.capabilities, frequencyPenalty: false, n: false });
  const prepare = (request: ModelRequest) =>
    buildResponsesBody(model, request, { mode: request.mode ?? mode, reasoningEffort: options.reasoningEffort, caps });

  return {
    provider: options.provider ?? providerFor(options.baseURL ?? (process.env.OPENAI_BASE_URL || undefined)),
    modelId: model,
    modes: ["json_schema", "json_object", "tool", "prompt"],
    supportsFrequencyPenalty: false,
    supportsN: false,
    capabilities: caps,
    price: options.price,
    contextWindow: options.contextWindow,
    credentials: openAICredentials(options),
    checkSetup: () => void (options.client ?? openAIKey(options)),

    async generate(request: ModelRequest): Promise<ModelResponse> {
      try {
        const res = await getClient().responses.create(
          prepare(request) as unknown as OpenAI.Responses.ResponseCreateParamsNonStreaming,
          requestOptions(options.headers, request),
        );
        if (!res || !Array.isArray(res.output)) throw new Error("reply has no output");
        if (res.status === "failed") throw new ProviderHttpError(500, `${model}: ${res.error?.message ?? "the response failed"}`);
        const { text, refusal } = answerOf(res);
        return {
          choices: [
            { text, finishReason: refusal !== undefined ? "refusal" : finishOf(res), ...(refusal !== undefined ? { refusal } : {}) },
          ],
          usage: toResponsesUsage(res.usage),
          modelId: res.model ?? model,
          requestId: res.id,
        };
      } catch (err) {
        throw mapProviderError(err, model, request.signal);
      }
    },

    async *stream(request: ModelRequest): AsyncIterable<StreamPart> {
      let usage: Usage = toResponsesUsage(undefined);
      let finishReason: FinishReason | null = null;
      let refusal: string | undefined;
      let modelId = model;
      let requestId: string | undefined;
      try {
        const body = prepare(request);
        body.stream = true;
        const stream = await getClient().responses.create(
          body as unknown as OpenAI.Responses.ResponseCreateParamsStreaming,
          requestOptions(options.headers, request),
        );
        for await (const event of stream) {
          switch (event.type) {
            case "response.created":
              modelId = event.response.model ?? model;
              requestId = event.response.id;
              break;
            case "response.output_text.delta":
            case "response.function_call_arguments.delta":
              if (event.delta) yield { type: "text", text: event.delta };
              break;
            case "response.refusal.delta":
              refusal = (refusal ?? "") + event.delta;
              break;
            case "response.completed":
            case "response.incomplete":
              usage = toResponsesUsage(event.response.usage);
              finishReason = finishOf(event.response);
              break;
            case "response.failed":
              throw new ProviderHttpError(500, `${model}: ${event.response.error?.message ?? "the response failed"}`);
            case "error":
              throw new ProviderHttpError(500, `${model}: ${event.message}`);
          }
        }
        // A stream closed before response.completed / response.incomplete was cut short: never a whole reply.
        if (finishReason === null) throw new ConnectionError(`${model}: the stream ended before the model finished`);
      } catch (err) {
        throw mapProviderError(err, model, request.signal);
      }
      yield {
        type: "finish",
        finishReason: refusal !== undefined ? "refusal" : finishReason,
        usage,
        modelId,
        ...(refusal !== undefined ? { refusal } : {}),
        ...(requestId ? { requestId } : {}),
      };
    },
  };
}
