/**
 * The typed event stream of a call. Every sink (trace store, OpenTelemetry, the CLI, user `onEvent`
 * handlers) consumes these. Emission is skipped entirely when nobody listens.
 */
import type { AttemptRecord, GenerateResult } from "./results.js";
import type { ErrorKind } from "./error-kind.js";
import type { PromptSection, Usage } from "./language-model.js";

interface Base {
  /** The call the event belongs to; "" for client-level events (breaker transitions). */
  callId: string;
  /** Epoch milliseconds. */
  ts: number;
}

export type BallastEvent =
  | (Base & {
      type: "call_start";
      task: string;
      models: string[];
      /** The prompt as sent on the first attempt (sections in order). */
      sections: PromptSection[];
      sampling: { temperature?: number; frequencyPenalty?: number };
      operation: "generate" | "stream" | "text";
      /** Set when the call is one row of a batch run. */
      batch?: { id: string; row: string };
    })
  | (Base & { type: "attempt_start"; attemptId: string; model: string; provider: string; rung: number; kind: AttemptRecord["kind"] })
  | (Base & { type: "attempt_end"; attempt: AttemptRecord })
  | (Base & { type: "recovery"; attemptId: string; steps: string[] })
  | (Base & { type: "reask"; attemptId: string; model: string; issues: number })
  | (Base & { type: "hedge"; model: string; afterMs: number })
  /** A streamed attempt failed after the consumer saw its snapshots: they were told to clear them. */
  | (Base & { type: "stream_reset"; attemptId: string; model: string; reason: string })
  | (Base & { type: "fallback"; reason: string })
  | (Base & { type: "breaker"; model: string; from: string; to: string })
  | (Base & { type: "leak"; outcome: "self_reported" | "silent"; model: string })
  | (Base & { type: "prompt_feedback"; task: string; feedback: string })
  | (Base & { type: "cache_buster"; task: string; section: string; tokensLost: number })
  | (Base & { type: "warning"; message: string })
  | (Base & { type: "call_end"; task: string; result: Omit<GenerateResult<unknown>, "value"> & { value: unknown } })
  /** The call rejected (no model answered and no fallback, deadline, abort, budget…): emitted instead of call_end. */
  | (Base & {
      type: "call_error";
      task: string;
      error: { kind: ErrorKind; message: string };
      attempts: AttemptRecord[];
      usage: Usage;
      costUsd: number | null;
      latencyMs: number;
    });

export type BallastEventType = BallastEvent["type"];
export type EventListener = (event: BallastEvent) => void;
