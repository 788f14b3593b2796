/**
 * How many rows a batch keeps in flight: additive increase, multiplicative decrease. The window halves on a
 * 429 (at most once per cooldown, so one burst of 429s counts once) and grows by one per window of successes.
 */
export class AimdWindow {
  size: number;
  private lastCut = Number.NEGATIVE_INFINITY;
  constructor(
    readonly max: number,
    private readonly cooldownMs = 1_000,
  ) {
    this.size = max;
  }
  get slots(): number {
    return Math.max(1, Math.floor(this.size));
  }
  success() {
    if (this.size < this.max) this.size = Math.min(this.max, this.size + 1 / this.size);
  }
  throttled() {
    const now = performance.now();
    if (now - this.lastCut < this.cooldownMs) return;
    this.lastCut = now;
    this.size = Math.max(1, this.size / 2);
  }
}
