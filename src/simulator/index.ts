/**
 * The Ballast LLM simulator (`ballast/testing`): a real HTTP server on 127.0.0.1 speaking OpenAI Chat
 * Completions and Responses, Anthropic Messages and Gemini generateContent / streamGenerateContent,
 * misbehaving on purpose as configured. Start one per test.
 *
 * @example
 * import { startSimulator } from "ballast/testing";
 * const sim = await startSimulator({ models: { "gpt-4.1-mini": { faults: { http500: 0.2 } } } });
 * const llm = createBallast({ models: [openai("gpt-4.1-mini", { baseURL: `${sim.url}/v1`, apiKey: "sim" })] });
 * // ... your tests; then
 * await sim.close();
 */
import { normalizeConfig, type ScriptedReply, type SimulatorConfig } from "./config.js";
import type { RecordedRequest } from "./recorded-request.js";
import { SimulatorServer } from "./server.js";
import type { SimulatorStats } from "./stats.js";
import type { RateLimitStats } from "./rate-limit.js";

export interface Simulator {
  /** "http://127.0.0.1:PORT": the Anthropic and Google GenAI SDKs' baseURL; the OpenAI SDK's is `url + "/v1"`. */
  url: string;
  /** Stops listening and drops every connection (hanging ones included). */
  close(): Promise<void>;
  /** The last 500 requests received, oldest first. */
  requests: RecordedRequest[];
  stats(): SimulatorStats;
  /** Appends exact replies to a model's queue; each request to that model (either protocol) takes one. */
  script(model: string, replies: ScriptedReply[]): void;
  /** Per rate-limited model: requests admitted and rejected (429), and the most admitted in one window. */
  rateLimits(): Record<string, RateLimitStats>;
}

/** Starts a simulator; rejects with `SimulatorConfigError` naming the field when the config is invalid. */
export async function startSimulator(config: SimulatorConfig = {}): Promise<Simulator> {
  const normalized = normalizeConfig(config);
  const server = new SimulatorServer(normalized);
  const url = await server.listen(normalized.port);
  return {
    url,
    close: () => server.close(),
    requests: server.requests,
    stats: () => server.snapshot(),
    script: (model, replies) => server.script(model, replies),
    rateLimits: () => server.limits?.stats() ?? {},
  };
}

export { FAULT_NAMES, normalizeConfig } from "./config.js";
export type { FaultName, GroundTruth, ModelCard, ScriptedReply, SimulatorConfig } from "./config.js";
export type { RecordedRequest } from "./recorded-request.js";
export type { ModelStats, SimulatorStats } from "./stats.js";
export { SimulatorConfigError } from "./simulator-config-error.js";
export { MALFORMED_FORMS, type MalformedForm } from "./malformed.js";
export { WRONG_SHAPE_FORMS, type WrongShapeForm } from "./wrong-shape.js";
export { LEAK_FORMS, type LeakForm } from "./leak.js";
export type { RateLimitConfig } from "./rate-limit-config.js";
export type { RateLimitStats } from "./rate-limit.js";
export type { BatchConfig } from "./batch-config.js";
