/** Running mean and variance as Prometheus's `avg`, `stddev` and `stdvar` aggregators keep them. */
import { kahanCompensation } from './kahan-sum.js';

export { KahanSum, kahanCompensation, kahanSumInc } from './kahan-sum.js';

/**
 * The `avg` aggregator's running mean: a Kahan sum divided at the end while the sum stays
 * finite, switching to an incremental mean once it would overflow (engine.go `aggregation()`).
 * Reusable: call {@link MeanAccumulator.reset} between groups.
 * @example
 * const m = new MeanAccumulator();
 * m.add(1); m.add(2); m.add(4);
 * m.value; // 2.3333333333333335
 */
export class MeanAccumulator {
  private count = 0;
  private sum = 0;
  private c = 0;
  private mean = 0;
  private incremental = false;

  reset(): void {
    this.count = 0;
    this.sum = 0;
    this.c = 0;
    this.mean = 0;
    this.incremental = false;
  }

  add(f: number): void {
    if (this.count === 0) {
      this.count = 1;
      this.sum = f;
      this.mean = f;
      this.c = 0;
      return;
    }
    const count = ++this.count;
    if (!this.incremental) {
      const t = this.sum + f;
      if (t !== Number.POSITIVE_INFINITY && t !== Number.NEGATIVE_INFINITY) {
        this.c = kahanCompensation(this.sum, f, t, this.c);
        this.sum = t;
        return;
      }
      // The sum would overflow: carry on with the incremental mean from here.
      this.incremental = true;
      this.mean = this.sum / (count - 1);
      this.c /= count - 1;
    }
    const mean = this.mean;
    if (mean === Number.POSITIVE_INFINITY || mean === Number.NEGATIVE_INFINITY) {
      // Inf - Inf would turn the mean into NaN; an infinite mean stays put unless f is NaN or
      // the opposite infinity.
      if ((f === Number.POSITIVE_INFINITY || f === Number.NEGATIVE_INFINITY) && mean > 0 === f > 0)
        return;
      if (Number.isFinite(f)) return;
    }
    const current = mean + this.c;
    // Divide both sides of the difference by count so that it cannot overflow.
    const inc = f / count - current / count;
    const t = mean + inc;
    this.c = kahanCompensation(mean, inc, t, this.c);
    this.mean = t;
  }

  /** Number of values added since the last reset. */
  get n(): number {
    return this.count;
  }

  /** The mean; NaN when nothing was added. */
  get value(): number {
    if (this.count === 0) return Number.NaN;
    if (this.incremental) return this.mean + this.c;
    return (this.sum + this.c) / this.count;
  }
}

/**
 * The `stddev`/`stdvar` aggregators' Welford accumulator (engine.go `aggregation()`): a first
 * value that is NaN or ±Inf makes the result NaN, as in Prometheus.
 * @example
 * const v = new VarianceAccumulator();
 * for (const x of [2, 4, 4, 4, 5, 5, 7, 9]) v.add(x);
 * v.stdvar; // 4
 * v.stddev; // 2
 */
export class VarianceAccumulator {
  private count = 0;
  private mean = 0;
  private m2 = 0;

  reset(): void {
    this.count = 0;
    this.mean = 0;
    this.m2 = 0;
  }

  add(f: number): void {
    if (this.count === 0) {
      this.count = 1;
      this.mean = f;
      this.m2 = Number.isFinite(f) ? 0 : Number.NaN;
      return;
    }
    const count = ++this.count;
    const delta = f - this.mean;
    this.mean += delta / count;
    this.m2 += delta * (f - this.mean);
  }

  /** Number of values added since the last reset. */
  get n(): number {
    return this.count;
  }

  /** Population variance; NaN when nothing was added. */
  get stdvar(): number {
    return this.count === 0 ? Number.NaN : this.m2 / this.count;
  }

  /** Population standard deviation; NaN when nothing was added. */
  get stddev(): number {
    return Math.sqrt(this.stdvar);
  }
}
