/**
 * What every call of one client shares: its event emitter, trace store, budget, redactor, rate gate, reply
 * times, breakers and OTel scopes. `createBallast` builds it once; the call phases (prepare, run, finish) read it.
 */
import type { BreakerRegistry, RateGate, ReplyTimes } from "../cascade/index.js";
import type { EventListener, LanguageModel, Price } from "../core/index.js";
import type { Budget, ClientRedactor, Emitter, TraceStore } from "../observe/index.js";

/** A listener that can run an attempt's provider request in the attempt's trace context (see `otelListener`). */
export interface AttemptScoped extends EventListener {
  attemptScope<R>(callId: string, attemptId: string, fn: () => R): R;
}

export interface ClientRuntime {
  events: Emitter;
  store: TraceStore | null;
  budget: Budget | null;
  redactor: ClientRedactor;
  rates: RateGate | undefined;
  replyTimes: ReplyTimes;
  breakers: BreakerRegistry | null;
  /** Listeners that can run a request inside its attempt's trace context (the OTel listener). */
  scopes: AttemptScoped[];
  /** Each model's price (its own or the catalogue's); null when unknown. */
  priceOf(model: LanguageModel): Price | null;
}
