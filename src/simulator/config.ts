/**
 * The simulator's public config contract (names kept exactly as documented in its README) and the
 * scripted-reply type; `normalizeConfig` validates a raw object and fills the documented defaults.
 */
import type { Usage } from "../core/index.js";
import { type BatchConfig, validateBatchConfig } from "./batch-config.js";
import { type RateLimitConfig, validateRateLimits } from "./rate-limit-config.js";
import { SimulatorConfigError } from "./simulator-config-error.js";
import { checkNumber, isRecord } from "./config-checks.js";

export const FAULT_NAMES = [
  "hang",
  "reset",
  "http429",
  "http500",
  "http502",
  "http503",
  "http529",
  "slowTail",
  "streamCut",
  "truncate",
  "refusal",
  "contentFilter",
  "malformed",
  "wrongShape",
  "leak",
] as const;

export type FaultName = (typeof FAULT_NAMES)[number];

/** One exact reply for the next request to a model (either protocol); consumed in order. */
export interface ScriptedReply {
  /** Raw content returned as-is (not serialised). */
  text?: string;
  /** A value serialised with JSON.stringify as the content (or the tool input). */
  json?: unknown;
  /** Force this fault for the request. */
  fault?: FaultName;
  /** Answer with this HTTP error status (error body shaped like the provider's). */
  status?: number;
  /** For an error status the providers word case by case (401, 403, 404, 409…; not 429 or 5xx): its message. */
  message?: string;
  /** For an error reply: sent as `retry-after-ms` and (rounded up) `retry-after`. */
  retryAfterMs?: number;
  /** Wait this long before answering. */
  delayMs?: number;
  finishReason?: "stop" | "length" | "content_filter";
  /** Reply with a refusal carrying this message. */
  refusal?: string;
  /** Override the reported usage (fields not given are computed). */
  usage?: Partial<Usage>;
}

/** A model card: latency, limits, prices, accuracy and the fault mix of one model name. */
export interface ModelCard {
  /** Time to first token in ms (default 0). */
  ttftMs?: number;
  /** Output speed; 0 or absent means instantaneous. */
  tokensPerSecond?: number;
  /** Largest prompt (input tokens) accepted; absent means unlimited. */
  contextWindow?: number;
  /** Output is cut (finish_reason "length") beyond this many tokens. */
  maxOutputTokens?: number;
  priceInputPerMTok?: number;
  priceCachedInputPerMTok?: number;
  priceOutputPerMTok?: number;
  /** Probability each ground-truth field is answered correctly (default 1). */
  accuracy?: number;
  /** Probability a leaking model sets `revealing_private_context` true (default 0.5). */
  leakHonesty?: number;
  /** Probability of each fault per request. */
  faults?: Partial<Record<FaultName, number>>;
  /** Replies returned, in order, before normal behaviour resumes. */
  script?: ScriptedReply[];
}

/** A known correct answer for accuracy tests: applies when the last user message contains `match`. */
export interface GroundTruth {
  match: string;
  answer: Record<string, unknown>;
}

export interface SimulatorConfig {
  /** Seed for every random choice (default 1). */
  seed?: number;
  models?: Record<string, ModelCard>;
  groundTruth?: GroundTruth[];
  /** Port to listen on (default 0: any free port). Host is always 127.0.0.1. */
  port?: number;
  /** Clock for cache TTLs, in ms since the epoch (default Date.now); inject to test expiry. */
  clock?: () => number;
  /** How many requests `sim.requests` keeps (default 500). */
  requestLogLimit?: number;
  /** Per-model request and token limits answered with 429s, and `x-ratelimit-*` headers on every reply. */
  rateLimits?: Record<string, RateLimitConfig>;
  /** How the Batch APIs (OpenAI files + batches, Anthropic message batches) behave. */
  batches?: BatchConfig;
  /**
   * When set, every provider request must carry this key (`Authorization: Bearer`, or Anthropic's
   * `x-api-key`); a missing or wrong key gets the provider's 401. Default: any key or none is accepted.
   */
  apiKey?: string;
  /** When true, a model not named in `models` gets the provider's 404, as an unknown model does. @default false */
  onlyConfiguredModels?: boolean;
}

/** A config with defaults filled and every field checked. */
export interface NormalizedConfig {
  seed: number;
  models: Map<string, ModelCard>;
  groundTruth: GroundTruth[];
  port: number;
  clock: () => number;
  requestLogLimit: number;
  rateLimits: Map<string, RateLimitConfig>;
  batches: BatchConfig;
  apiKey: string | undefined;
  onlyConfiguredModels: boolean;
}

const CARD_NUMBERS = [
  "ttftMs",
  "tokensPerSecond",
  "contextWindow",
  "maxOutputTokens",
  "priceInputPerMTok",
  "priceCachedInputPerMTok",
  "priceOutputPerMTok",
] as const;
const CARD_PROBABILITIES = ["accuracy", "leakHonesty"] as const;
const CARD_KEYS = new Set<string>([...CARD_NUMBERS, ...CARD_PROBABILITIES, "faults", "script"]);
const TOP_KEYS = new Set([
  "seed",
  "models",
  "groundTruth",
  "port",
  "clock",
  "requestLogLimit",
  "rateLimits",
  "batches",
  "apiKey",
  "onlyConfiguredModels",
]);
const SCRIPT_KEYS = new Set(["text", "json", "fault", "status", "message", "retryAfterMs", "delayMs", "finishReason", "refusal", "usage"]);
const FAULT_SET = new Set<string>(FAULT_NAMES);

/** Validates one scripted reply; `field` is its path for error messages. */
export function validateScriptedReply(reply: unknown, field: string): ScriptedReply {
  if (!isRecord(reply)) throw new SimulatorConfigError(field, "must be an object");
  for (const key of Object.keys(reply)) {
    if (!SCRIPT_KEYS.has(key)) throw new SimulatorConfigError(`${field}.${key}`, "is not a known scripted-reply field");
  }
  if (reply.text !== undefined && typeof reply.text !== "string") {
    throw new SimulatorConfigError(`${field}.text`, "must be a string");
  }
  if (reply.fault !== undefined && (typeof reply.fault !== "string" || !FAULT_SET.has(reply.fault))) {
    throw new SimulatorConfigError(`${field}.fault`, `must be one of ${FAULT_NAMES.join(", ")}`);
  }
  if (reply.status !== undefined) checkNumber(reply.status, `${field}.status`, { min: 100, max: 599, integer: true });
  if (reply.retryAfterMs !== undefined) checkNumber(reply.retryAfterMs, `${field}.retryAfterMs`, { min: 0 });
  if (reply.delayMs !== undefined) checkNumber(reply.delayMs, `${field}.delayMs`, { min: 0 });
  if (reply.finishReason !== undefined && !["stop", "length", "content_filter"].includes(reply.finishReason as string)) {
    throw new SimulatorConfigError(`${field}.finishReason`, 'must be "stop", "length" or "content_filter"');
  }
  if (reply.message !== undefined && typeof reply.message !== "string") {
    throw new SimulatorConfigError(`${field}.message`, "must be a string");
  }
  if (reply.refusal !== undefined && typeof reply.refusal !== "string") {
    throw new SimulatorConfigError(`${field}.refusal`, "must be a string");
  }
  if (reply.usage !== undefined) {
    if (!isRecord(reply.usage)) throw new SimulatorConfigError(`${field}.usage`, "must be an object");
    for (const [k, v] of Object.entries(reply.usage)) checkNumber(v, `${field}.usage.${k}`, { min: 0 });
  }
  return reply as ScriptedReply;
}

function validateCard(name: string, raw: unknown): ModelCard {
  const base = `models.${name}`;
  if (!isRecord(raw)) throw new SimulatorConfigError(base, "must be an object");
  for (const key of Object.keys(raw)) {
    if (!CARD_KEYS.has(key)) throw new SimulatorConfigError(`${base}.${key}`, "is not a known model-card field");
  }
  for (const key of CARD_NUMBERS) {
    if (raw[key] !== undefined) checkNumber(raw[key], `${base}.${key}`, { min: 0 });
  }
  for (const key of CARD_PROBABILITIES) {
    if (raw[key] !== undefined) checkNumber(raw[key], `${base}.${key}`, { min: 0, max: 1 });
  }
  if (raw.faults !== undefined) {
    if (!isRecord(raw.faults)) throw new SimulatorConfigError(`${base}.faults`, "must be an object of probabilities");
    let total = 0;
    for (const [fault, p] of Object.entries(raw.faults)) {
      if (!FAULT_SET.has(fault)) {
        throw new SimulatorConfigError(`${base}.faults.${fault}`, `is not a fault name (one of ${FAULT_NAMES.join(", ")})`);
      }
      checkNumber(p, `${base}.faults.${fault}`, { min: 0, max: 1 });
      total += p as number;
    }
    if (total > 1 + 1e-9) throw new SimulatorConfigError(`${base}.faults`, `probabilities sum to ${total}, must be <= 1`);
  }
  if (raw.script !== undefined) {
    if (!Array.isArray(raw.script)) throw new SimulatorConfigError(`${base}.script`, "must be an array");
    for (const [i, r] of raw.script.entries()) validateScriptedReply(r, `${base}.script[${i}]`);
  }
  return raw as ModelCard;
}

/** Checks a raw config (object from code or parsed sim.json) and fills defaults. */
export function normalizeConfig(raw: unknown = {}): NormalizedConfig {
  if (!isRecord(raw)) throw new SimulatorConfigError("(root)", "must be an object");
  for (const key of Object.keys(raw)) {
    if (!TOP_KEYS.has(key)) throw new SimulatorConfigError(key, "is not a known config field");
  }
  if (raw.seed !== undefined) checkNumber(raw.seed, "seed", { integer: true });
  if (raw.port !== undefined) checkNumber(raw.port, "port", { min: 0, max: 65535, integer: true });
  if (raw.clock !== undefined && typeof raw.clock !== "function") throw new SimulatorConfigError("clock", "must be a function");
  if (raw.apiKey !== undefined && (typeof raw.apiKey !== "string" || raw.apiKey === "")) {
    throw new SimulatorConfigError("apiKey", "must be a non-empty string");
  }
  if (raw.onlyConfiguredModels !== undefined && typeof raw.onlyConfiguredModels !== "boolean") {
    throw new SimulatorConfigError("onlyConfiguredModels", "must be a boolean");
  }
  if (raw.onlyConfiguredModels === true && (raw.models === undefined || Object.keys(raw.models as object).length === 0)) {
    throw new SimulatorConfigError("onlyConfiguredModels", "needs at least one model in `models`");
  }
  const models = new Map<string, ModelCard>();
  if (raw.models !== undefined) {
    if (!isRecord(raw.models)) throw new SimulatorConfigError("models", "must be an object keyed by model name");
    for (const [name, card] of Object.entries(raw.models)) models.set(name, validateCard(name, card));
  }
  const groundTruth: GroundTruth[] = [];
  if (raw.groundTruth !== undefined) {
    if (!Array.isArray(raw.groundTruth)) throw new SimulatorConfigError("groundTruth", "must be an array");
    raw.groundTruth.forEach((g, i) => {
      if (!isRecord(g)) throw new SimulatorConfigError(`groundTruth[${i}]`, "must be an object");
      if (typeof g.match !== "string" || g.match === "") {
        throw new SimulatorConfigError(`groundTruth[${i}].match`, "must be a non-empty string");
      }
      if (!isRecord(g.answer)) throw new SimulatorConfigError(`groundTruth[${i}].answer`, "must be an object");
      groundTruth.push({ match: g.match, answer: g.answer });
    });
  }
  if (raw.requestLogLimit !== undefined) checkNumber(raw.requestLogLimit, "requestLogLimit", { min: 1, integer: true });
  return {
    requestLogLimit: (raw.requestLogLimit as number | undefined) ?? 500,
    rateLimits: validateRateLimits(raw.rateLimits),
    batches: validateBatchConfig(raw.batches),
    seed: (raw.seed as number | undefined) ?? 1,
    models,
    groundTruth,
    port: (raw.port as number | undefined) ?? 0,
    clock: (raw.clock as (() => number) | undefined) ?? Date.now,
    apiKey: raw.apiKey as string | undefined,
    onlyConfiguredModels: raw.onlyConfiguredModels === true,
  };
}
