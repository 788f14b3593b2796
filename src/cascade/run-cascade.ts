/**
 * The cascade of whole replies: the shared launch loop (`launch-loop.ts`) with the default rung. Returns
 * null when no rung produced a valid answer in time, so the caller can fall back (`ctx.ended` says why);
 * throws only for the caller's own bugs (a validator that threw) or the caller's abort.
 */
import type { CallContext } from "./call-context.js";
import { runLaunchLoop } from "./launch-loop.js";
import { type CascadeWin, runRung } from "./rung.js";

export function runCascade<T>(ctx: CallContext<T>): Promise<CascadeWin<T> | null> {
  return runLaunchLoop(ctx, () => ({
    runRung: (model, rung, kind, cancel) => runRung(ctx, { model, rung, kind, cancel }),
  }));
}
