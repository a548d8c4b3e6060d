/** Kahan–Neumaier compensated summation, step for step as Prometheus's `kahansum.Inc`. */

/**
 * The compensation after adding `inc` to `sum`, given `t = sum + inc` and the running
 * compensation `c`. Split from the addition so hot loops stay allocation-free:
 * `t = sum + inc; c = kahanCompensation(sum, inc, t, c); sum = t`.
 * @example
 * let sum = 0, c = 0;
 * for (const v of [1e16, 1, -1e16]) {
 *   const t = sum + v;
 *   c = kahanCompensation(sum, v, t, c);
 *   sum = t;
 * }
 * sum + c; // 1
 */
export function kahanCompensation(sum: number, inc: number, t: number, c: number): number {
  // Once the sum overflows the compensation is meaningless; Prometheus resets it.
  if (t === Number.POSITIVE_INFINITY || t === Number.NEGATIVE_INFINITY) return 0;
  // Neumaier: take the low-order bits from whichever operand is smaller.
  if (Math.abs(sum) >= Math.abs(inc)) return c + (sum - t + inc);
  return c + (inc - t + sum);
}

/**
 * One Kahan step: returns the new `[sum, c]`. Convenient but allocates a tuple; hot loops use
 * {@link kahanCompensation} instead.
 * @example
 * const [sum, c] = kahanSumInc(1, 1e16, 0); // sum + c === 1e16 + 1 as exactly as doubles allow
 */
export function kahanSumInc(inc: number, sum: number, c: number): [number, number] {
  const t = sum + inc;
  return [t, kahanCompensation(sum, inc, t, c)];
}

/**
 * A compensated running sum, as the `sum` aggregator and `sum_over_time` keep it.
 * @example
 * const s = new KahanSum();
 * for (const v of [1e16, 1, -1e16]) s.add(v);
 * s.value; // 1
 */
export class KahanSum {
  sum = 0;
  c = 0;

  add(v: number): void {
    const t = this.sum + v;
    this.c = kahanCompensation(this.sum, v, t, this.c);
    this.sum = t;
  }

  /** The sum with its compensation applied; an overflowed sum is returned as is. */
  get value(): number {
    const s = this.sum;
    if (s === Number.POSITIVE_INFINITY || s === Number.NEGATIVE_INFINITY) return s;
    return s + this.c;
  }

  reset(): void {
    this.sum = 0;
    this.c = 0;
  }
}
