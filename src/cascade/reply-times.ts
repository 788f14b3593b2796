/**
 * How long each model has recently taken to reply, per client: a window of the last replies per model and
 * their quantiles, which set the adaptive hedge delay (`hedge.quantile`). Only replies count (an answer, valid
 * or not); errors and attempts cut short say nothing about how long a reply takes.
 */

/** Replies kept per model: the newest replace the oldest. */
export const REPLY_WINDOW = 100;
/** Replies needed before a quantile is trusted; until then the hedge waits its full `afterMs`. */
export const MIN_REPLIES = 20;

class Window {
  readonly times = new Float64Array(REPLY_WINDOW);
  count = 0;
  private at = 0;
  /** The times sorted, rebuilt on the first quantile after a change. */
  private sorted: Float64Array | null = null;

  add(ms: number): void {
    this.times[this.at] = ms;
    this.at = (this.at + 1) % REPLY_WINDOW;
    if (this.count < REPLY_WINDOW) this.count++;
    this.sorted = null;
  }

  quantile(q: number): number {
    const sorted = (this.sorted ??= this.times.slice(0, this.count).sort());
    return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))]!;
  }
}

export class ReplyTimes {
  private readonly byModel = new Map<string, Window>();

  /** Notes one reply of `model` (a model key) that took `ms`. */
  note(model: string, ms: number): void {
    let w = this.byModel.get(model);
    if (!w) this.byModel.set(model, (w = new Window()));
    w.add(ms);
  }

  /** The `q` quantile of the model's recent reply times, or undefined before MIN_REPLIES of them. */
  quantile(model: string, q: number): number | undefined {
    const w = this.byModel.get(model);
    return w && w.count >= MIN_REPLIES ? w.quantile(q) : undefined;
  }
}
