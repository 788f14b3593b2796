/**
 * Reply timing from the model card: time to first token plus output tokens at `tokensPerSecond`, and the
 * `slowTail` fault's heavy-tailed (Pareto) extra delay.
 */
import type { ModelCard } from "./config.js";
import type { Rng } from "./random.js";

/** Pareto(alpha 1.5) extra latency with a 500 ms scale (or the card's TTFT if larger), capped at 60 s. */
export function slowTailMs(card: ModelCard, rng: Rng): number {
  const scale = Math.max(500, card.ttftMs ?? 0);
  const u = Math.max(1e-9, 1 - rng.next());
  return Math.min(60_000, scale * u ** (-1 / 1.5));
}

/** Time to stream `tokens` output tokens at the card's speed (0 when instantaneous). */
export function generationMs(card: ModelCard, tokens: number): number {
  const tps = card.tokensPerSecond ?? 0;
  return tps > 0 ? (tokens / tps) * 1000 : 0;
}

export function totalLatencyMs(card: ModelCard, outputTokens: number, extraMs: number): number {
  return (card.ttftMs ?? 0) + generationMs(card, outputTokens) + extraMs;
}
