// The compatibility suite's vocabulary: a scenario is one client doing one kind of traffic, unchanged,
// against a running simulator; it throws when the client does not get what it would get from the API.
import assert from "node:assert/strict";
import type { Simulator } from "../../src/simulator/index.js";

export const SCENARIO_KINDS = ["plain", "structured", "streaming", "tool loop", "usage/caching", "errors"] as const;
export type ScenarioKind = (typeof SCENARIO_KINDS)[number];

export interface Scenario {
  client: string;
  kind: ScenarioKind;
  /** What exactly is exercised (mode, API), shown in the table. */
  detail: string;
  /** What the client itself gets wrong against the real API, which the scenario asserts as the API would behave. */
  clientIssue?: string;
  run(sim: Simulator): Promise<void>;
}

/** A system prompt long enough to be cached by both providers (over 1024 / 2048 tokens). */
export const LONG_SYSTEM = `You are a careful assistant. ${"Follow the house rules exactly and keep answers short. ".repeat(260)}`;

export function nonEmpty(text: string | null | undefined, what: string) {
  assert.ok(typeof text === "string" && text.trim().length > 0, `${what}: empty text`);
}
