/**
 * The cascade of whole replies: the shared launch loop (`launch-loop.ts`) with the default rung. Returns
 * null when no rung produced a valid answer in time, so the caller can fall back (`ctx.ended` says why);
 * throws only for the caller's own bugs (a validator that threw) or the caller's abort.
 */
import type { LanguageModel } from "../providers/types.js";
import type { CallContext } from "./call-context.js";
import { runLaunchLoop } from "./launch-loop.js";
import { runRung } from "./rung.js";

export interface CascadeWin<T> {
  value: T;
  repaired: boolean;
  model: LanguageModel;
  /** Ballast's own fields the model filled (prompt feedback, private-context flag). */
  extras: Record<string, unknown>;
  /** The winning reply's raw text (for leak detection). */
  text: string;
  /** With `n` > 1: every valid choice of the winning request, and how many choices did not fit. */
  samples?: T[];
  invalidSamples?: number;
}

export function runCascade<T>(ctx: CallContext<T>): Promise<CascadeWin<T> | null> {
  return runLaunchLoop(ctx, () => ({
    runRung: (model, rung, kind, cancel) => runRung(ctx, model, rung, kind, cancel),
  }));
}
