/** Tests for the element-wise math kernels, round and clamp against functions.test. */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { clamp, clampMax, clampMin, MATH_KERNELS, roundTo } from './math-kernels.js';

const { NaN: nan, POSITIVE_INFINITY: inf, NEGATIVE_INFINITY: ninf } = Number;
// functions.test's `data` series: 2.5 2 -2.5 -2 0 -0 +Inf -Inf NaN.
const data = [2.5, 2, -2.5, -2, 0, -0, inf, ninf, nan];

describe('MATH_KERNELS (functions.test)', () => {
  it('abs, ceil, floor', () => {
    expect(data.map(MATH_KERNELS.abs)).toEqual([2.5, 2, 2.5, 2, 0, 0, inf, inf, nan]);
    expect(data.map(MATH_KERNELS.ceil)).toEqual([3, 2, -2, -2, 0, -0, inf, ninf, nan]);
    expect(data.map(MATH_KERNELS.floor)).toEqual([2, 2, -3, -2, 0, -0, inf, ninf, nan]);
  });

  it('sgn', () => {
    expect([ninf, inf, nan, -50, 0, 100].map(MATH_KERNELS.sgn)).toEqual([-1, 1, nan, -1, 0, 1]);
  });

  it('ln, log2, log10, exp, sqrt', () => {
    expect(MATH_KERNELS.ln(10)).toBe(Math.LN10); // functions.test: 2.302585092994046
    expect(MATH_KERNELS.ln(20)).toBe(2.995732273553991);
    expect(MATH_KERNELS.ln(0)).toBe(ninf);
    expect(MATH_KERNELS.ln(-10)).toBeNaN();
    // functions.test lists 3.3219280948873626 and compares with a tolerance; ln(0.625)/ln 2 + 4
    // rounds to the neighbouring double.
    expect(MATH_KERNELS.log2(10)).toBeCloseTo(3.3219280948873626, 15);
    expect(MATH_KERNELS.log2(20)).toBe(4.321928094887363);
    expect(MATH_KERNELS.log2(0)).toBe(ninf);
    expect(MATH_KERNELS.log2(-1)).toBeNaN();
    expect(MATH_KERNELS.log2(1024)).toBe(10);
    expect(MATH_KERNELS.log2(2 ** -1074)).toBe(-1074);
    expect(MATH_KERNELS.log10(10)).toBe(1);
    expect(MATH_KERNELS.log10(20)).toBe(1.301029995663981);
    expect(MATH_KERNELS.log10(0)).toBe(ninf);
    expect(MATH_KERNELS.log10(-10)).toBeNaN();
    expect(MATH_KERNELS.exp(MATH_KERNELS.ln(20))).toBeCloseTo(20, 12);
    expect(MATH_KERNELS.sqrt(-1)).toBeNaN();
  });

  it('log10 uses Go’s ln(x)·(1/ln 10) with the constant rounded once', () => {
    expect(MATH_KERNELS.log10(1000)).toBe(3);
    expect(MATH_KERNELS.log10(1e-300)).toBe(-300);
  });

  it('deg and rad', () => {
    expect(MATH_KERNELS.deg(Math.PI)).toBe(180);
    expect(MATH_KERNELS.rad(180)).toBe(Math.PI);
    expect(MATH_KERNELS.deg(nan)).toBeNaN();
  });

  it('trigonometric and hyperbolic functions give NaN outside their domain', () => {
    expect(MATH_KERNELS.asin(2)).toBeNaN();
    expect(MATH_KERNELS.acos(-2)).toBeNaN();
    expect(MATH_KERNELS.acosh(0.5)).toBeNaN();
    expect(MATH_KERNELS.atanh(1)).toBe(inf);
    expect(MATH_KERNELS.sin(inf)).toBeNaN();
    expect(MATH_KERNELS.tanh(inf)).toBe(1);
  });

  it('has every function the engine names', () => {
    expect(Object.keys(MATH_KERNELS).sort()).toEqual(
      ['abs acos acosh asin asinh atan atanh ceil cos cosh deg exp floor ln log10 log2 rad']
        .concat(['sgn sin sinh sqrt tan tanh'])
        .join(' ')
        .split(' ')
        .sort(),
    );
  });
});

describe('roundTo', () => {
  it('rounds ties up (functions.test)', () => {
    // floor(-0 + 0.5) is +0, as in Go.
    expect(data.map((v) => roundTo(v, 1))).toEqual([3, 2, -2, -2, 0, 0, inf, ninf, nan]);
  });

  it('rounds to a multiple of toNearest, via the inverse', () => {
    expect(roundTo(7.33, 0.1)).toBe(7.3);
    expect(roundTo(1234, 100)).toBe(1200);
    expect(roundTo(1250, 100)).toBe(1300);
    expect(roundTo(-1250, 100)).toBe(-1200);
    expect(roundTo(5, 0)).toBeNaN();
  });
});

describe('clamp (functions.test)', () => {
  const v = [-50, 0, 100];

  it('clamps', () => {
    expect(v.map((x) => clampMax(x, 75))).toEqual([-50, 0, 75]);
    expect(v.map((x) => clampMin(x, -25))).toEqual([-25, 0, 100]);
    expect(v.map((x) => clamp(x, -25, 75))).toEqual([-25, 0, 75]);
    expect(v.map((x) => clampMax(clampMin(x, -20), 70))).toEqual([-20, 0, 70]);
  });

  it('gives NaN for a NaN bound and drops the sample when max < min', () => {
    expect(v.map((x) => clamp(x, 0, nan))).toEqual([nan, nan, nan]);
    expect(v.map((x) => clamp(x, nan, 0))).toEqual([nan, nan, nan]);
    expect(v.map((x) => clamp(x, 5, -5))).toEqual([undefined, undefined, undefined]);
    expect(clamp(nan, 0, 1)).toBeNaN();
  });

  it('stays within [min, max]', () => {
    const num = fc.double({ noNaN: true });
    fc.assert(
      fc.property(num, num, num, (x, a, b) => {
        const [lo, hi] = a <= b ? [a, b] : [b, a];
        const got = clamp(x, lo, hi)!;
        expect(got).toBeGreaterThanOrEqual(lo);
        expect(got).toBeLessThanOrEqual(hi);
      }),
    );
  });
});
