/**
 * How long each model has recently taken to reply, per client: a window of the last replies per model and
 * their quantiles, which set the adaptive hedge delay (`hedge.quantile`). Only replies count (an answer, valid
 * or not); errors and attempts cut short say nothing about how long a reply takes.
 */

/** Replies kept per model: the newest replace the oldest. */
export const REPLY_WINDOW = 100;
/** Replies needed before a quantile is trusted; until then the hedge waits its full `afterMs`. */
export const MIN_REPLIES = 20;
/**
 * Replies needed before the median is trusted (the floor of a repeat's delay). A tail quantile needs many
 * replies (the 95th of 20 is their second slowest); the middle one of 5 already lies between their 2nd and 4th
 * with 5/8 odds and inside their range with 15/16, and a repeat waits for the hedge delay (`afterMs` until the
 * quantile is trusted) too. Waiting for 20 left a model that just took over a dead one's traffic without
 * repeats for its first 20 replies, so its hung requests ran to their timeout.
 */
export const MIN_MEDIAN_REPLIES = 5;

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

  /** The median of the model's recent reply times, or undefined before MIN_MEDIAN_REPLIES of them. */
  median(model: string): number | undefined {
    const w = this.byModel.get(model);
    return w && w.count >= MIN_MEDIAN_REPLIES ? w.quantile(0.5) : undefined;
  }
}
