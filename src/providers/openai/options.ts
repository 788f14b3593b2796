/** The options of `openai()`, and the lazily created official client they configure. */
import OpenAI from "openai";
import { ConfigurationError } from "../../errors/index.js";
import type { ModelCapabilities, OutputMode, Price } from "../../core/index.js";
import { leanFetch } from "../lean-fetch.js";
import { credentialReader, resolveKey } from "../model-options.js";

export interface OpenAIModelOptions {
  /**
   * Which OpenAI API to speak. "responses" is the default for OpenAI itself (no `baseURL`, or one on
   * api.openai.com): reasoning models are served there first. "chat" (Chat Completions) is the default for
   * any other `baseURL`: that is what OpenAI-compatible servers (Ollama, vLLM, OpenRouter, Groq, Together) speak.
   */
  api?: "responses" | "chat";
  baseURL?: string;
  /**
   * The provider name for prices (the genai-prices catalogue) and traces. Default: read from a known
   * `baseURL` host (Groq, OpenRouter, Together, Fireworks, DeepSeek, xAI, Mistral), else "openai".
   */
  provider?: string;
  /** Defaults to OPENAI_API_KEY. Not needed for a custom `baseURL` (local servers). */
  apiKey?: string;
  /** Bring your own configured client (its own retries should be 0); its baseURL picks the default `api`. */
  client?: OpenAI;
  /** "json_schema" (default, strict structured outputs), "json_object", "tool" or "prompt". */
  mode?: OutputMode;
  /** Responses API: `reasoning.effort` for reasoning models. @default not sent */
  reasoningEffort?: "none" | "minimal" | "low" | "medium" | "high";
  /** Dollar prices per million tokens, for models the catalogue does not know. */
  price?: Price;
  contextWindow?: number;
  /** False for servers that reject `frequency_penalty` (default true; the Responses API has none). */
  frequencyPenalty?: boolean;
  /** Overrides of what this model accepts, over the capability table's row for its family. */
  capabilities?: Partial<ModelCapabilities>;
  headers?: Record<string, string>;
  /**
   * The `fetch` the client Ballast creates uses (ignored with `client`). @default Ballast's transport over
   * undici's `request()` (docs/PROVIDERS.md, "Transport"); `globalThis.fetch` for Node's built-in one.
   */
  fetch?: typeof fetch;
}

/** The API `openai()` speaks when `api` is not given: Responses on OpenAI itself, Chat Completions elsewhere. */
export function defaultApi(baseURL: string | undefined): "responses" | "chat" {
  if (baseURL === undefined) return "responses";
  try {
    return new URL(baseURL).hostname === "api.openai.com" ? "responses" : "chat";
  } catch {
    throw new ConfigurationError(`openai(): baseURL is not a valid URL: ${JSON.stringify(baseURL)}`);
  }
}

/** What an `openai()` model authenticates with: its client's key, its `apiKey`, OPENAI_API_KEY. */
export const openAICredentials = (options: OpenAIModelOptions) =>
  credentialReader([options.client?.apiKey, options.apiKey], ["OPENAI_API_KEY"]);

/** The key the client is made with (see `resolveKey`); throws when there is none. */
export function openAIKey(options: OpenAIModelOptions): string {
  return resolveKey("openai()", { apiKey: options.apiKey, baseURL: options.baseURL ?? process.env.OPENAI_BASE_URL }, ["OPENAI_API_KEY"]);
}

/** The official client, created on first use (so a missing key fails the call, not the import). */
export function lazyClient(options: OpenAIModelOptions): () => OpenAI {
  let client = options.client;
  return () => {
    if (client) return client;
    const apiKey = openAIKey(options);
    client = new OpenAI({ apiKey, baseURL: options.baseURL, maxRetries: 0, timeout: 24 * 3600_000, fetch: options.fetch ?? leanFetch });
    return client;
  };
}

/** OpenAI-compatible hosts whose own prices the catalogue keeps, by the host's last two labels. */
const HOST_PROVIDERS: Record<string, string> = {
  "groq.com": "groq",
  "openrouter.ai": "openrouter",
  "together.xyz": "together",
  "together.ai": "together",
  "fireworks.ai": "fireworks",
  "deepseek.com": "deepseek",
  "x.ai": "x_ai",
  "mistral.ai": "mistral_ai",
};

/** The provider name for a model served at `baseURL` (see `OpenAIModelOptions.provider`). */
export function providerFor(baseURL: string | undefined): string {
  if (baseURL === undefined) return "openai";
  try {
    const host = new URL(baseURL).hostname.split(".").slice(-2).join(".");
    return HOST_PROVIDERS[host] ?? "openai";
  } catch {
    return "openai";
  }
}
