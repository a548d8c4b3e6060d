/** Tests for the *_over_time kernels, changes and resets against functions.test expectations. */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  avgOverTime,
  changes,
  maxOverTime,
  minOverTime,
  quantileOverTime,
  resets,
  stddevOverTime,
  stdvarOverTime,
  sumOverTime,
} from './over-time-kernels.js';
import type { SampleWindow } from './sample-window.js';

const { NaN: nan, POSITIVE_INFINITY: inf, NEGATIVE_INFINITY: ninf } = Number;

/** All of `v` as one window (timestamps do not matter to these kernels). */
function all(v: number[]): SampleWindow {
  return { t: v.map((_, i) => i * 10_000), v, lo: 0, hi: v.length };
}

describe('avg_over_time (functions.test)', () => {
  it.each([
    ['metric', [1, 2, 3, 4, 5], 3],
    ['metric2', [1, 2, 3, 4, inf], inf],
    ['metric3', [1, 2, 3, 4, ninf], ninf],
    ['metric4', [1, 2, 3, inf, ninf], nan],
    ['metric5', [inf, 0, inf], inf],
    ['metric5c', [inf, inf, inf, ninf], nan],
    ['metric6', [1, 2, 3, ninf, ninf], ninf],
    ['metric6b', [ninf, 0, ninf], ninf],
    ['metric6c', [ninf, ninf, ninf, inf], nan],
    ['metric7', [1, 2, ninf, ninf, inf], nan],
    ['metric8', [9.988465674311579e307, 9.988465674311579e307], 9.988465674311579e307],
    [
      'metric9',
      [-9.988465674311579e307, -9.988465674311579e307, -9.988465674311579e307],
      -9.988465674311579e307,
    ],
    ['metric10', [-9.988465674311579e307, 9.988465674311579e307], 0],
    ['metric11', [1, 2, 3, nan, nan], nan],
    ['big intermediate values', [1, 1e100, 1, -1e100], 0.5],
    [
      'metric11 (cancelling magnitudes)',
      [
        -2.258e220, -1.78264e219, 0.76342771, 1.9592258, 2.3757689e217, -2.3757689e217, 2.258e220,
        7.69805412, 1.78264e219, -458.90154,
      ],
      0,
    ],
  ])('%s', (_name, v, expected) => {
    expect(avgOverTime(all(v))).toBe(expected);
  });

  it.each([
    ['metric1', [1e10, 1e-6, 1e-6, 1e-6, 1e-6, 1e-6], 1.6666666666666675e9],
    [
      'metric2',
      [
        5.30921651659898, 0.961118537914768, 1.62091361305318, 0.865089463758091, 0.323055185914577,
        0.951811357687154,
      ],
      1.67186744582113,
    ],
    ['metric3', [1.78264e50, 0.76342771, 1.9592258, 7.69805412, 458.90154], 3.56528e49],
    [
      'metric5',
      [1.78264e50, 0.76342771, 1.9592258, 2.258e220, 7.69805412, 458.90154],
      3.76333333333333e219,
    ],
    [
      'metric7',
      [-1.78264e50, 0.76342771, 1.9592258, -2.258e220, 7.69805412, -458.90154],
      -3.76333333333333e219,
    ],
    [
      'metric9',
      [-1.78264e215, 0.76342771, 1.9592258, 2.258e220, 7.69805412, 1.78264e215, -458.90154],
      3.225714285714286e219,
    ],
    [
      'metric10',
      [
        -1.78264e219, 0.76342771, 1.9592258, 2.3757689e217, -2.3757689e217, 2.258e220, 7.69805412,
        1.78264e219, -458.90154,
      ],
      2.5088888888888888e219,
    ],
  ])('%s (extreme magnitudes)', (_name, v, expected) => {
    const got = avgOverTime(all(v))!;
    expect(Math.abs(got - expected) / Math.abs(expected)).toBeLessThan(1e-12);
  });

  it('keeps a constant series exactly constant', () => {
    const v = Array.from({ length: 13 }, () => 52);
    expect(avgOverTime(all(v))).toBe(52);
  });

  it('switches to the incremental mean on overflow', () => {
    const got = avgOverTime(all([1.5e308, 1.5e308, -1.5e308]))!;
    expect(Math.abs(got - 0.5e308) / 0.5e308).toBeLessThan(1e-15);
  });

  it('gives nothing for an empty window', () => {
    expect(avgOverTime({ t: [1], v: [1], lo: 1, hi: 1 })).toBeUndefined();
  });
});

describe('sum_over_time', () => {
  it('compensates (functions.test: 1 1e100 1 -1e100 → 2)', () => {
    expect(sumOverTime(all([1, 1e100, 1, -1e100]))).toBe(2);
  });

  it('sums dense windows exactly', () => {
    expect(sumOverTime(all(Array.from({ length: 3003 }, () => 1)))).toBe(3003);
  });

  it('returns an overflowed sum without compensation', () => {
    expect(sumOverTime(all([1e308, 1e308, 1]))).toBe(inf);
  });
});

describe('min/max_over_time', () => {
  it('ignores NaN unless all values are NaN', () => {
    expect(maxOverTime(all([nan, 3, 1]))).toBe(3);
    expect(minOverTime(all([nan, 3, 1]))).toBe(1);
    expect(maxOverTime(all([2, nan, 1]))).toBe(2);
    expect(minOverTime(all([2, nan, 1]))).toBe(1);
    expect(maxOverTime(all([nan, nan]))).toBeNaN();
  });

  it('handles infinities', () => {
    expect(maxOverTime(all([ninf, 1]))).toBe(1);
    expect(minOverTime(all([inf, 1, ninf]))).toBe(ninf);
  });
});

describe('stddev/stdvar_over_time (functions.test)', () => {
  it('0 8 8 2 3', () => {
    expect(stdvarOverTime(all([0, 8, 8, 2, 3]))).toBeCloseTo(10.56, 12);
    expect(stddevOverTime(all([0, 8, 8, 2, 3]))).toBeCloseTo(3.249615, 6);
  });

  it('is exactly 0 for a constant series (#4927)', () => {
    const v = [1.5990505637277868, 1.5990505637277868, 1.5990505637277868];
    expect(stdvarOverTime(all(v))).toBe(0);
    expect(stddevOverTime(all(v))).toBe(0);
  });

  it('is 0 for a single sample', () => {
    expect(stdvarOverTime(all([7]))).toBe(0);
  });
});

describe('quantile_over_time', () => {
  it('interpolates and handles out-of-range q', () => {
    const w = all([0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
    expect(quantileOverTime(w, [0.5])).toBe(5);
    expect(quantileOverTime(w, [0.95])).toBe(9.5);
    expect(quantileOverTime(w, [-1])).toBe(ninf);
    expect(quantileOverTime(w, [2])).toBe(inf);
    expect(quantileOverTime(w, [nan])).toBeNaN();
  });
});

describe('changes and resets (functions.test)', () => {
  const foo = [1, 2, 3, 0, 1, 0, 0, 1, 2, 0];
  const bar = [1, 2, 3, 4, 5, 1, 2, 3, 4, 5];
  const biz = [0, 0, 0, 0, 0, 1, 1, 1, 1, 1];
  const tail = (v: number[], n: number): SampleWindow => ({
    t: v,
    v,
    lo: v.length - n,
    hi: v.length,
  });

  // Samples every 5m from 0 to 45m, evaluated at 50m: [10m] holds 1 sample, [20m] 3, [30m] 5,
  // [32m] 6 and [50m] 9.
  it('resets', () => {
    expect([foo, bar, biz].map((v) => resets(tail(v, 1)))).toEqual([0, 0, 0]);
    expect([foo, bar, biz].map((v) => resets(tail(v, 3)))).toEqual([1, 0, 0]);
    expect([foo, bar, biz].map((v) => resets(tail(v, 5)))).toEqual([1, 0, 0]);
    expect([foo, bar, biz].map((v) => resets(tail(v, 6)))).toEqual([2, 1, 0]);
    expect([foo, bar, biz].map((v) => resets(tail(v, 9)))).toEqual([3, 1, 0]);
  });

  it('changes', () => {
    expect([foo, bar, biz].map((v) => changes(tail(v, 1)))).toEqual([0, 0, 0]);
    expect([foo, bar, biz].map((v) => changes(tail(v, 3)))).toEqual([2, 2, 0]);
    expect([foo, bar, biz].map((v) => changes(tail(v, 5)))).toEqual([3, 4, 0]);
    expect([foo, bar, biz].map((v) => changes(tail(v, 9)))).toEqual([7, 8, 1]);
  });

  it('does not count NaN → NaN as a change', () => {
    expect(changes(all([nan, nan, nan]))).toBe(0);
    expect(changes(all([0, nan, 0]))).toBe(2);
  });

  it('gives nothing for an empty window', () => {
    expect(changes({ t: [], v: [], lo: 0, hi: 0 })).toBeUndefined();
    expect(resets({ t: [], v: [], lo: 0, hi: 0 })).toBeUndefined();
  });
});

describe('properties', () => {
  const finite = fc.double({ min: -1e6, max: 1e6, noNaN: true });

  it('avg_over_time lies between min and max', () => {
    fc.assert(
      fc.property(fc.array(finite, { minLength: 1, maxLength: 50 }), (v) => {
        const w = all(v);
        const avg = avgOverTime(w)!;
        const tol = 1e-9 * Math.max(1, ...v.map(Math.abs));
        expect(avg).toBeGreaterThanOrEqual(minOverTime(w)! - tol);
        expect(avg).toBeLessThanOrEqual(maxOverTime(w)! + tol);
      }),
    );
  });

  it('stdvar_over_time is never negative', () => {
    fc.assert(
      fc.property(fc.array(finite, { minLength: 1, maxLength: 50 }), (v) => {
        expect(stdvarOverTime(all(v))!).toBeGreaterThanOrEqual(0);
      }),
    );
  });
});
