/** Tests for the least-squares fit behind deriv and predict_linear. */
import { describe, expect, it } from 'vitest';
import { linearRegression } from './linear-regression.js';

// functions.test: testcounter_reset_middle_total 0+10x4 0+10x5, every 5m from 0 to 50m.
const t = Array.from({ length: 11 }, (_, i) => i * 300_000);
const v = [0, 10, 20, 30, 40, 0, 10, 20, 30, 40, 50];

describe('linearRegression', () => {
  it('matches the worked example in functions.test', () => {
    const out = { slope: 0, intercept: 0 };
    linearRegression(t, v, 0, 11, 0, out);
    expect(out.slope).toBeCloseTo(0.010606060606060607, 15);
    expect(out.intercept).toBeCloseTo(6.818181818181818, 12);
    linearRegression(t, v, 0, 11, 3_000_000, out);
    expect(out.intercept).toBeCloseTo(38.63636363636364, 12);
  });

  it('gives slope 0 exactly for a constant series, NaN for a constant infinity', () => {
    const out = { slope: 1, intercept: 1 };
    linearRegression([0, 1000, 2000], [3, 3, 3], 0, 3, 0, out);
    expect(out).toEqual({ slope: 0, intercept: 3 });
    linearRegression([0, 1000], [Number.POSITIVE_INFINITY, Number.POSITIVE_INFINITY], 0, 2, 0, out);
    expect(out.slope).toBeNaN();
    expect(out.intercept).toBeNaN();
  });

  it('returns NaN when an infinity is mixed in', () => {
    const out = { slope: 0, intercept: 0 };
    linearRegression([0, 1000, 2000], [Number.NEGATIVE_INFINITY, 0, 80], 0, 3, 0, out);
    expect(out.slope).toBeNaN();
  });

  it('reads only [lo, hi)', () => {
    const out = { slope: 0, intercept: 0 };
    linearRegression(t, v, 5, 11, t[5], out);
    expect(out.slope).toBeCloseTo(10 / 300, 15);
    expect(out.intercept).toBeCloseTo(0, 12);
  });
});
