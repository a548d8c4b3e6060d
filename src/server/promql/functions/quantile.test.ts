/** Tests for quantileOf: interpolation, special cases, NaN ordering and properties. */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { quantileOf, quantileOfRange } from './quantile.js';

describe('quantileOf', () => {
  it('interpolates linearly between the closest ranks', () => {
    expect(quantileOf(0.5, [3, 1, 2, 10])).toBe(2.5);
    expect(quantileOf(0.9, [1, 2, 3, 4, 5])).toBeCloseTo(4.6, 15);
    expect(quantileOf(0, [5, 4, 3])).toBe(3);
    expect(quantileOf(1, [5, 4, 3])).toBe(5);
    expect(quantileOf(0.3, [7])).toBe(7);
  });

  it('handles the special cases like Prometheus', () => {
    expect(quantileOf(0.5, [])).toBeNaN();
    expect(quantileOf(Number.NaN, [1, 2])).toBeNaN();
    expect(quantileOf(-0.1, [1, 2])).toBe(Number.NEGATIVE_INFINITY);
    expect(quantileOf(1.1, [1, 2])).toBe(Number.POSITIVE_INFINITY);
    expect(quantileOf(-0.1, [])).toBeNaN();
  });

  it('ranks NaN below every number', () => {
    expect(quantileOf(0, [2, Number.NaN, 1])).toBeNaN();
    expect(quantileOf(1, [2, Number.NaN, 1])).toBe(2);
    expect(quantileOf(0.5, [2, Number.NaN, 1])).toBe(1);
  });

  it('keeps Go float artefacts: Inf × 0 at q = 1 is NaN', () => {
    // rank n-1 gives weight 0, and Go still adds upper × 0.
    expect(quantileOf(1, [1, Number.POSITIVE_INFINITY])).toBeNaN();
    expect(quantileOf(0.5, [1, Number.POSITIVE_INFINITY])).toBe(Number.POSITIVE_INFINITY);
  });

  it('does not modify its input and reads only [lo, hi)', () => {
    const v = [9, 3, 1, 100];
    expect(quantileOfRange(0.5, v, 0, 3)).toBe(3);
    expect(v).toEqual([9, 3, 1, 100]);
  });

  it('grows its buffer for large inputs', () => {
    const v = Array.from({ length: 10_001 }, (_, i) => 10_000 - i);
    expect(quantileOf(0.25, v)).toBe(2500);
  });

  it('stays within the range of the values', () => {
    fc.assert(
      fc.property(
        fc.array(fc.double({ min: -1e9, max: 1e9, noNaN: true }), { minLength: 1, maxLength: 40 }),
        fc.double({ min: 0, max: 1, noNaN: true }),
        (values, q) => {
          const got = quantileOf(q, values);
          const lo = Math.min(...values);
          const hi = Math.max(...values);
          // Interpolating as Prometheus does, a(1-w) + bw, may round one ulp past an end.
          const slack = 1e-12 * Math.max(1, Math.abs(lo), Math.abs(hi));
          expect(got).toBeGreaterThanOrEqual(lo - slack);
          expect(got).toBeLessThanOrEqual(hi + slack);
        },
      ),
    );
  });

  it('is monotonic in q', () => {
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: -1000, max: 1000 }), { minLength: 1, maxLength: 40 }),
        fc.double({ min: 0, max: 1, noNaN: true }),
        fc.double({ min: 0, max: 1, noNaN: true }),
        (values, a, b) => {
          const [lo, hi] = a <= b ? [a, b] : [b, a];
          expect(quantileOf(lo, values)).toBeLessThanOrEqual(quantileOf(hi, values) + 1e-9);
        },
      ),
    );
  });
});
