// Shared pieces of the streaming tests: both providers against one simulator, a schema with every kind of
// field, and the checks every snapshot sequence must pass.
import assert from "node:assert/strict";
import { z } from "zod";
import type { LanguageModel, StreamEvent } from "ballast";
import { anthropic } from "ballast/anthropic";
import { openai } from "ballast/openai";
import type { Simulator } from "ballast/testing";

export const Article = z.object({
  title: z.string(),
  sentiment: z.enum(["positive", "negative", "neutral"]),
  score: z.number().int().min(1).max(10),
  published: z.boolean(),
  topics: z.array(z.object({ name: z.string(), weight: z.number() })).max(4),
  summary: z.string(),
});
export type Article = z.infer<typeof Article>;

export const PROVIDERS = ["openai", "anthropic"] as const;
export type Provider = (typeof PROVIDERS)[number];

export function modelFor(sim: Simulator, provider: Provider, name: string): LanguageModel {
  return provider === "openai"
    ? openai(name, { baseURL: `${sim.url}/v1`, apiKey: "k" })
    : anthropic(name, { baseURL: sim.url, apiKey: "k" });
}

/** The value at a JSON pointer. */
export function at(value: unknown, pointer: string): unknown {
  if (pointer === "") return value;
  let node = value;
  for (const raw of pointer.slice(1).split("/")) {
    const key = raw.replace(/~1/g, "/").replace(/~0/g, "~");
    node = (node as Record<string, unknown>)?.[key];
  }
  return node;
}

/**
 * Within each attempt: a completed path keeps its value (deep-equal) in every later snapshot, done only grows,
 * every done path exists; enums and numbers only ever show complete values.
 */
export function assertMonotonic(events: StreamEvent<Article>[]): void {
  const byAttempt = new Map<number, Array<Extract<StreamEvent<Article>, { type: "snapshot" }>>>();
  for (const e of events) if (e.type === "snapshot") byAttempt.set(e.attempt, [...(byAttempt.get(e.attempt) ?? []), e]);
  for (const snapshots of byAttempt.values()) {
    const frozen = new Map<string, string>();
    let previous = new Set<string>();
    for (const s of snapshots) {
      for (const p of previous) assert.ok(s.done.has(p), `done lost ${p}`);
      for (const p of s.done) {
        const json = JSON.stringify(at(s.partial, p));
        assert.notEqual(json, undefined, `done path ${p} is missing from the partial`);
        if (frozen.has(p)) assert.equal(json, frozen.get(p), `completed ${p} changed`);
        else frozen.set(p, json);
      }
      const partial = s.partial as Partial<Article> | undefined;
      if (partial?.sentiment !== undefined)
        assert.ok(["positive", "negative", "neutral"].includes(partial.sentiment), `partial enum ${partial.sentiment}`);
      if (partial?.score !== undefined) assert.ok(s.done.has("/score"), "a number shows only once complete");
      previous = new Set(s.done);
    }
  }
}

export async function collect<T>(stream: AsyncIterable<StreamEvent<T>>): Promise<StreamEvent<T>[]> {
  const events: StreamEvent<T>[] = [];
  for await (const e of stream) events.push(e);
  return events;
}

export const settle = (ms = 30) => new Promise((r) => setTimeout(r, ms));

/** Waits (up to 1 s) until the simulator has seen `count` client-closed requests; returns what it saw. */
export async function abortedReach(sim: Simulator, count: number): Promise<number> {
  for (let i = 0; i < 100 && sim.stats().abortedRequests < count; i++) await settle(10);
  return sim.stats().abortedRequests;
}

/**
 * How long a plain timer of `ms` really takes right now: on a loaded machine every timer fires late, so a
 * deadline is judged by how much later than this control it fired, not against the wall clock alone.
 */
export function controlTimer(ms: number): Promise<number> {
  const t0 = performance.now();
  return new Promise((resolve) => setTimeout(() => resolve(performance.now() - t0), ms));
}
