// The adapters under test, as one table: how to build each against the simulator, how to find the requests
// it sent, and what the provider does differently (where the last user turn sits, what a refusal becomes).
import type { LanguageModel, Price } from "ballast";
import { openai } from "ballast/openai";
import type { RecordedRequest, Simulator } from "ballast/testing";

type Body = Record<string, any>;

export interface AdapterCase {
  name: string;
  make(sim: Simulator, model: string, price?: Price): LanguageModel;
  /** A real model name the price catalogue knows for this provider. */
  catalogueModel: string;
  /** The requests this adapter sent for a model name. */
  requests(sim: Simulator, model: string): RecordedRequest[];
  /** The text of the last user turn in a request body (where a re-ask puts its feedback). */
  lastUserText(body: Body): string;
  /** Whether the provider reports prompt-cache writes apart from reads (Anthropic). */
  cacheWrites: boolean;
  /** The request field that carries the per-task prompt-cache key, if the API has one. */
  cacheKeyField?: string;
}

const byBodyModel = (path: RegExp) => (sim: Simulator, model: string) =>
  sim.requests.filter((r) => path.test(r.path) && (r.body as Body | undefined)?.model === model);

const textOf = (content: unknown): string =>
  typeof content === "string" ? content : Array.isArray(content) ? content.map((p: Body) => p.text ?? "").join("") : "";

export const openAIChat: AdapterCase = {
  name: "OpenAI Chat",
  make: (sim, model, price) => openai(model, { api: "chat", baseURL: `${sim.url}/v1`, apiKey: "k", price }),
  catalogueModel: "gpt-4.1-mini",
  requests: byBodyModel(/\/chat\/completions$/),
  lastUserText: (body) => textOf(body.messages.at(-1).content),
  cacheWrites: false,
  cacheKeyField: "prompt_cache_key",
};

export const openAIResponses: AdapterCase = {
  name: "OpenAI Responses",
  make: (sim, model, price) => openai(model, { api: "responses", baseURL: `${sim.url}/v1`, apiKey: "k", price }),
  catalogueModel: "gpt-5-mini",
  requests: byBodyModel(/\/responses$/),
  lastUserText: (body) => textOf(body.input.at(-1).content),
  cacheWrites: false,
  cacheKeyField: "prompt_cache_key",
};

export const ADAPTERS: AdapterCase[] = [openAIResponses, openAIChat];
