/**
 * The streaming cascade: the cascade's own launch loop and rungs (re-asks, retries, breakers), each
 * attempt streamed, plus stream ownership: the first attempt to stream owns the call, the other rungs are
 * aborted and no hedge starts while it streams; if it fails mid-stream the consumer gets a `reset`, the
 * rungs it pushed aside run again and the cascade goes on from there.
 */
import { type CallContext, runLaunchLoop, type CascadeWin, runRung } from "../cascade/index.js";
import type { AttemptRecord, ModelRequest } from "../core/index.js";
import { AbortedError } from "../errors/index.js";
import { runStreamAttempt, type StreamClaim } from "./stream-attempt.js";
import type { StreamSink } from "./structured-stream.js";
import type { StreamDeadlines } from "./types.js";

/** A `CascadeRunner` for `call()` that streams every attempt into `sink`. */
export function streamCascade(sink: StreamSink, deadlines: StreamDeadlines) {
  return <T>(ctx: CallContext<T>): Promise<CascadeWin<T> | null> => runStreamCascade(ctx, sink, deadlines);
}

export function runStreamCascade<T>(ctx: CallContext<T>, sink: StreamSink, deadlines: StreamDeadlines): Promise<CascadeWin<T> | null> {
  return runLaunchLoop(ctx, (control) => {
    /** The rung whose attempt is streaming now: no rung starts while one streams. */
    let owner: number | null = null;
    const claimFor = (rung: number): StreamClaim => ({
      claim() {
        if (owner !== null && owner !== rung) return false;
        owner = rung;
        // Rungs aborted only because this one streamed first get their turn again if it fails.
        control.requeue(control.abortOthers(rung, new AbortedError("another rung started streaming first")));
        return true;
      },
      release() {
        if (owner !== rung) return;
        owner = null;
        control.restartHedgeClock(); // a re-ask on this rung gets the full hedge delay before a hedge starts
      },
    });
    return {
      holding: () => owner !== null,
      runRung(model, rung, kind, cancel) {
        const claim = claimFor(rung);
        const streamed = (k: AttemptRecord["kind"], followUp: ModelRequest["followUp"]) =>
          runStreamAttempt<T>({ ctx, model, rung, kind: k, rungCancel: cancel, followUp, deadlines, sink, stream: claim });
        return runRung(ctx, { model, rung, kind, cancel }, streamed);
      },
    };
  });
}
