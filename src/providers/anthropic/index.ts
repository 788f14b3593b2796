/**
 * `ballast/anthropic`: a LanguageModel over the official `@anthropic-ai/sdk`. Structured output is native
 * (JSON Schema in `output_config.format`) on the models that have it, else a forced tool whose `input_schema`
 * is the schema. Anthropic has no frequency penalty: it is omitted, not faked.
 * Prompt-cache breakpoints go after the stable prefix. SDK retries are off: Ballast owns them.
 *
 * @example
 * const llm = createBallast({ models: [anthropic("claude-sonnet-4-5"), openai("gpt-4.1-nano")] });
 */
import type Anthropic from "@anthropic-ai/sdk";
import { ConfigurationError, ConnectionError } from "../../errors/index.js";
import { modelInfo } from "../catalogue/index.js";
import { leanFetch } from "../lean-fetch.js";
import { mapProviderError } from "../map-error.js";
import { requestOptions } from "../request-options.js";
import {
  type FinishReason,
  type LanguageModel,
  type ModelRequest,
  type ModelResponse,
  type Price,
  type StreamPart,
  type Usage,
  type OutputMode,
  capabilitiesOf,
  type ModelCapabilities,
} from "../../core/index.js";
import { checkModelArgs, credentialReader, resolveKey } from "../model-options.js";
import { buildMessagesBody, toUsage } from "./messages-body.js";
import { loadNativeTransform } from "./native-output.js";

export type AnthropicMode = "native" | "tool" | "prompt";

export { supportsNativeOutput } from "./native-output.js";

/** Ballast's output mode for an Anthropic mode ("native" is Ballast's "json_schema"), and back. */
const TO_OUTPUT: Record<AnthropicMode, OutputMode> = { native: "json_schema", tool: "tool", prompt: "prompt" };

export interface AnthropicModelOptions {
  baseURL?: string;
  /** Defaults to ANTHROPIC_API_KEY. */
  apiKey?: string;
  client?: Anthropic;
  /**
   * "native" (JSON Schema in `output_config.format`; the default for models with native structured output,
   * see `supportsNativeOutput`), "tool" (forced tool use; the default for the others) or "prompt" (the schema
   * described in the system prompt).
   */
  mode?: AnthropicMode;
  price?: Price;
  /** Largest prompt plus output, in tokens. @default the model catalogue's (models.dev), when it knows the model */
  contextWindow?: number;
  /** `max_tokens` when the call does not set one (Anthropic requires it). Default 4096, or the model's output limit in the catalogue when lower. */
  maxTokens?: number;
  /** Overrides of what this model accepts, over the capability table's row for its family. */
  capabilities?: Partial<ModelCapabilities>;
  headers?: Record<string, string>;
  /**
   * The `fetch` the client Ballast creates uses (ignored with `client`). @default Ballast's transport over
   * undici's `request()` (docs/PROVIDERS.md, "Transport"); `globalThis.fetch` for Node's built-in one.
   */
  fetch?: typeof fetch;
}

const STOP: Record<string, FinishReason> = {
  end_turn: "stop",
  tool_use: "stop",
  stop_sequence: "stop",
  max_tokens: "length",
  refusal: "refusal",
};

/** The SDK, an optional peer: loaded by the first request, so importing Ballast never needs it. */
let sdk: Promise<typeof Anthropic> | undefined;
function loadSdk(): Promise<typeof Anthropic> {
  sdk ??= Promise.all([import("@anthropic-ai/sdk"), loadNativeTransform()]).then(
    ([m]) => m.default,
    (cause: unknown) => {
      throw new ConfigurationError(
        "ballast/anthropic needs the optional peer dependency @anthropic-ai/sdk: npm install @anthropic-ai/sdk",
        [],
        {
          cause,
        },
      );
    },
  );
  return sdk;
}

export function anthropic(model: string, options: AnthropicModelOptions = {}): LanguageModel {
  checkModelArgs("anthropic()", model, options, Object.keys(TO_OUTPUT));
  let client = options.client;
  const keyOf = () => resolveKey("anthropic()", options, ["ANTHROPIC_API_KEY"]);
  const getClient = async (): Promise<Anthropic> => {
    const Sdk = await loadSdk();
    if (client) return client;
    const apiKey = keyOf();
    client ??= new Sdk({ apiKey, baseURL: options.baseURL, maxRetries: 0, timeout: 24 * 3600_000, fetch: options.fetch ?? leanFetch });
    return client;
  };
  const caps = capabilitiesOf("anthropic", model, options.capabilities);
  const info = modelInfo("anthropic", model);
  const maxTokens = options.maxTokens ?? Math.min(4096, info.maxOutputTokens ?? 4096);
  const mode: OutputMode = TO_OUTPUT[options.mode ?? (caps.nativeStructuredOutput ? "native" : "tool")];
  const modes: OutputMode[] = [mode, ...(["json_schema", "tool", "prompt"] as const).filter((m) => m !== mode)];
  const prepare = (request: ModelRequest) =>
    buildMessagesBody(model, request, {
      mode: request.mode && modes.includes(request.mode) ? request.mode : mode,
      maxTokens,
      caps,
    });

  return {
    provider: "anthropic",
    modelId: model,
    modes,
    supportsFrequencyPenalty: caps.frequencyPenalty,
    supportsN: caps.n,
    capabilities: caps,
    price: options.price,
    contextWindow: options.contextWindow ?? info.contextWindow,
    checkSetup: () => void (client ?? keyOf()),
    credentials: credentialReader(
      [options.client?.apiKey, options.client?.authToken, options.apiKey],
      ["ANTHROPIC_API_KEY", "ANTHROPIC_AUTH_TOKEN"],
    ),

    async generate(request: ModelRequest): Promise<ModelResponse> {
      try {
        const sdkClient = await getClient(); // first: it loads the SDK, whose schema transform `prepare` uses
        const body = prepare(request);
        const res = await sdkClient.messages.create(
          body as unknown as Anthropic.MessageCreateParamsNonStreaming,
          requestOptions(options.headers, request),
        );
        if (!res || !Array.isArray(res.content)) throw new Error("reply has no content");
        const tool = res.content.find((b) => b.type === "tool_use");
        const text =
          tool && tool.type === "tool_use"
            ? JSON.stringify(tool.input)
            : res.content.map((b) => (b.type === "text" ? b.text : "")).join("");
        const finishReason = STOP[res.stop_reason ?? ""] ?? "other";
        return {
          choices: [{ text, finishReason, ...(finishReason === "refusal" ? { refusal: text || "refused" } : {}) }],
          usage: toUsage(res.usage),
          modelId: res.model ?? model,
          requestId: res.id,
        };
      } catch (err) {
        throw mapProviderError(err, model, request.signal);
      }
    },

    async *stream(request: ModelRequest): AsyncIterable<StreamPart> {
      let usage: Usage = toUsage(undefined);
      let finishReason: FinishReason | null = null;
      let modelId = model;
      let requestId: string | undefined;
      try {
        const sdkClient = await getClient();
        const body = prepare(request); // a fresh object: the streaming flag goes straight on it
        body.stream = true;
        // With a forced tool the answer is the tool input; any text block beside it is not part of it.
        const toolMode = (body as { tool_choice?: unknown }).tool_choice !== undefined;
        const stream = await sdkClient.messages.create(
          body as unknown as Anthropic.MessageCreateParamsStreaming,
          requestOptions(options.headers, request),
        );
        let input: Anthropic.Usage | undefined;
        for await (const event of stream) {
          if (event.type === "message_start") {
            modelId = event.message.model ?? model;
            requestId = event.message.id;
            input = event.message.usage;
            usage = toUsage(input);
          } else if (event.type === "content_block_delta") {
            if (event.delta.type === "text_delta") {
              if (!toolMode) yield { type: "text", text: event.delta.text };
            } else if (event.delta.type === "input_json_delta") yield { type: "text", text: event.delta.partial_json };
          } else if (event.type === "message_delta") {
            finishReason = STOP[event.delta.stop_reason ?? ""] ?? "other";
            usage = toUsage({ ...input, output_tokens: event.usage.output_tokens } as Anthropic.Usage);
          }
        }
        // A stream closed before message_delta carried a stop reason was cut short: never a whole reply.
        if (finishReason === null) throw new ConnectionError(`${model}: the stream ended before the model finished`);
      } catch (err) {
        throw mapProviderError(err, model, request.signal);
      }
      yield { type: "finish", finishReason, usage, modelId, ...(requestId ? { requestId } : {}) };
    },
  };
}

/** The Messages body the adapter sends, and its usage mapping (for Message Batches built elsewhere). */
export { buildMessagesBody, toUsage as toAnthropicUsage } from "./messages-body.js";

/** Ballast's transport (the default `fetch` of the clients it creates), for a client you build yourself. */
export { leanFetch } from "../lean-fetch.js";
