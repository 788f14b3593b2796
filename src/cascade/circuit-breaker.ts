/**
 * One circuit breaker per model (cockatiel's SamplingBreaker: failure rate over a time window), so a dead
 * primary costs nothing after a few failures and recovers by itself through half-open trials.
 * We use cockatiel rather than our own state machine: it is small, well kept and already handles
 * half-open concurrency.
 */
import { CircuitState, ConsecutiveBreaker, SamplingBreaker, circuitBreaker, handleWhen, type CircuitBreakerPolicy } from "cockatiel";

export interface BreakerOptions {
  /** Failure share in the window that opens the breaker. Default 0.5. */
  threshold?: number;
  /** Length of the sampling window. Default 30 s. */
  windowMs?: number;
  /** Calls needed in the window before it may open. Default 5. */
  minimumCalls?: number;
  /** How long it stays open before a half-open trial. Default 10 s. */
  cooldownMs?: number;
  /** Open after this many consecutive failures instead of a rate (useful for tests). */
  consecutiveFailures?: number;
}

export type BreakerState = "closed" | "open" | "half_open" | "isolated";

export interface ModelHealth {
  model: string;
  state: BreakerState;
  calls: number;
  failures: number;
}

const STATE: Record<CircuitState, BreakerState> = {
  [CircuitState.Closed]: "closed",
  [CircuitState.Open]: "open",
  [CircuitState.HalfOpen]: "half_open",
  [CircuitState.Isolated]: "isolated",
};

export class BreakerRegistry {
  private readonly policies = new Map<string, { policy: CircuitBreakerPolicy; calls: number; failures: number }>();
  constructor(
    private readonly options: BreakerOptions,
    private readonly onTransition: (model: string, from: BreakerState, to: BreakerState) => void,
  ) {}

  private entry(model: string) {
    let e = this.policies.get(model);
    if (!e) {
      const o = this.options;
      const windowMs = o.windowMs ?? 30_000;
      const breaker = o.consecutiveFailures
        ? new ConsecutiveBreaker(o.consecutiveFailures)
        : new SamplingBreaker({ threshold: o.threshold ?? 0.5, duration: windowMs, minimumRps: (o.minimumCalls ?? 5) / (windowMs / 1000) });
      // Every error counts as a failure except NeutralOutcome: cockatiel neither counts an error its filter
      // does not handle nor lets it reset the breaker, which is exactly "not counted either way".
      const handled = handleWhen((err) => !(err instanceof NeutralOutcome));
      const policy = circuitBreaker(handled, { halfOpenAfter: o.cooldownMs ?? 10_000, breaker });
      let last: BreakerState = "closed";
      policy.onStateChange((s) => {
        const next = STATE[s];
        this.onTransition(model, last, next);
        last = next;
      });
      e = { policy, calls: 0, failures: 0 };
      this.policies.set(model, e);
    }
    return e;
  }

  /** Open breakers are skipped without a call; half-open admits cockatiel's single trial. */
  isOpen(model: string): boolean {
    const s = this.entry(model).policy.state;
    return s === CircuitState.Open || s === CircuitState.Isolated;
  }

  /**
   * Runs `fn` under the model's breaker. `fn` reports whether the outcome counts as a failure; aborted
   * attempts (lost hedges, deadline) are `neutral` and not counted either way.
   * Returns null when the breaker refused the call.
   */
  async run<R>(model: string, fn: () => Promise<{ result: R; verdict: "success" | "failure" | "neutral" }>): Promise<R | null> {
    const e = this.entry(model);
    let outcome: { result: R; verdict: string } | undefined;
    try {
      await e.policy.execute(async () => {
        outcome = await fn();
        if (outcome.verdict === "failure") throw new CountedFailure();
        if (outcome.verdict === "neutral") throw new NeutralOutcome();
      });
    } catch (err) {
      if (!(err instanceof CountedFailure) && !(err instanceof NeutralOutcome)) {
        if (outcome) return outcome.result; // cannot happen: fn settled, error came from the policy
        return null; // BrokenCircuitError: open, or a half-open trial is already running
      }
    }
    if (outcome && outcome.verdict !== "neutral") {
      e.calls++;
      if (outcome.verdict === "failure") e.failures++;
    }
    return outcome ? outcome.result : null;
  }

  health(): ModelHealth[] {
    return [...this.policies].map(([model, e]) => ({ model, state: STATE[e.policy.state], calls: e.calls, failures: e.failures }));
  }
}

class CountedFailure extends Error {}
class NeutralOutcome extends Error {}
