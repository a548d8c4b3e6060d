/** Tests for the avg and stddev/stdvar aggregator accumulators. */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { MeanAccumulator, VarianceAccumulator } from './stat-kernels.js';

function mean(values: number[]): number {
  const m = new MeanAccumulator();
  for (const v of values) m.add(v);
  return m.value;
}

function variance(values: number[]): VarianceAccumulator {
  const acc = new VarianceAccumulator();
  for (const v of values) acc.add(v);
  return acc;
}

const { POSITIVE_INFINITY: inf, NEGATIVE_INFINITY: ninf } = Number;

describe('MeanAccumulator (avg aggregator)', () => {
  it('averages with compensation', () => {
    expect(mean([1, 2, 4])).toBe(7 / 3);
    expect(mean([1, 1e100, 1, -1e100])).toBe(0.5);
    expect(mean([])).toBeNaN();
  });

  it('switches to the incremental mean instead of overflowing', () => {
    const got = mean([1e308, 1e308, 1e308]);
    expect(got).toBe(1e308);
    expect(mean([1.7e308, 1.7e308, -1.7e308, -1.7e308])).toBe(0);
  });

  it('keeps an infinite mean unless NaN or the opposite infinity arrives', () => {
    expect(mean([inf, 1, 2])).toBe(inf);
    expect(mean([1, inf, inf])).toBe(inf);
    expect(mean([inf, ninf])).toBeNaN();
    expect(mean([inf, Number.NaN])).toBeNaN();
  });

  it('is reusable after reset and counts values', () => {
    const m = new MeanAccumulator();
    m.add(5);
    m.reset();
    m.add(1);
    m.add(3);
    expect(m.value).toBe(2);
    expect(m.n).toBe(2);
  });

  it('lies between min and max', () => {
    fc.assert(
      fc.property(
        fc.array(fc.double({ min: -1e300, max: 1e300, noNaN: true }), { minLength: 1 }),
        (v) => {
          const got = mean(v);
          const tol = 1e-12 * Math.max(...v.map(Math.abs));
          expect(got).toBeGreaterThanOrEqual(Math.min(...v) - tol);
          expect(got).toBeLessThanOrEqual(Math.max(...v) + tol);
        },
      ),
    );
  });
});

describe('VarianceAccumulator (stddev/stdvar aggregators)', () => {
  it('computes population variance', () => {
    const acc = variance([2, 4, 4, 4, 5, 5, 7, 9]);
    expect(acc.stdvar).toBe(4);
    expect(acc.stddev).toBe(2);
    expect(variance([0, 8, 8, 2, 3]).stdvar).toBeCloseTo(10.56, 12);
    expect(variance([42]).stdvar).toBe(0);
    expect(variance([]).stdvar).toBeNaN();
  });

  it('is NaN when the first value is NaN or infinite', () => {
    expect(variance([inf, 1, 2]).stdvar).toBeNaN();
    expect(variance([Number.NaN, 1]).stddev).toBeNaN();
    expect(variance([1, inf]).stdvar).toBeNaN();
  });

  it('is never negative', () => {
    fc.assert(
      fc.property(
        fc.array(fc.double({ min: -1e6, max: 1e6, noNaN: true }), { minLength: 1 }),
        (v) => {
          expect(variance(v).stdvar).toBeGreaterThanOrEqual(0);
        },
      ),
    );
  });
});
