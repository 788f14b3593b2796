// Shared helpers for the simulator contract tests: SDK clients pointed at a simulator (no retries) and a
// JSON Schema validity check through zod's JSON Schema import.
import Anthropic from "@anthropic-ai/sdk";
import OpenAI from "openai";
import { z } from "zod";
import type { Simulator } from "../../src/simulator/index.js";

export function openaiFor(sim: Simulator): OpenAI {
  return new OpenAI({ baseURL: `${sim.url}/v1`, apiKey: "sk-sim", maxRetries: 0 });
}

export function anthropicFor(sim: Simulator): Anthropic {
  return new Anthropic({ baseURL: sim.url, apiKey: "sk-ant-sim", maxRetries: 0 });
}

export function isValid(schema: object, value: unknown): boolean {
  return z.fromJSONSchema(schema as Parameters<typeof z.fromJSONSchema>[0]).safeParse(value).success;
}

export const reviewSchema = {
  type: "object",
  properties: {
    sentiment: { type: "string", enum: ["positive", "negative", "neutral"] },
    score: { type: "number", minimum: 0, maximum: 1 },
    topics: { type: "array", items: { type: "string" }, minItems: 1, maxItems: 3 },
    note: { anyOf: [{ type: "string" }, { type: "null" }] },
  },
  required: ["sentiment", "score", "topics", "note"],
  additionalProperties: false,
} as const;

export function parses(text: string | null | undefined): boolean {
  try {
    JSON.parse(text ?? "");
    return true;
  } catch {
    return false;
  }
}

export async function rawPost(url: string, body: unknown, headers: Record<string, string> = {}) {
  const res = await fetch(url, { method: "POST", headers: { "content-type": "application/json", ...headers }, body: JSON.stringify(body) });
  return { status: res.status, headers: res.headers, text: await res.text() };
}

/** Polls `check` until it holds (or the timeout passes); returns its last result. */
export async function waitFor(check: () => boolean, timeoutMs = 5000): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (!check() && Date.now() < deadline) await new Promise((r) => setTimeout(r, 10));
  return check();
}
