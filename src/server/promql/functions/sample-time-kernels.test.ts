/** Tests for first_over_time, ts_of_*_over_time, mad_over_time and double_exponential_smoothing. */
import { describe, expect, it } from 'vitest';
import { madOverTime } from './over-time-kernels.js';
import { firstOverTime, tsOfEdgeOverTime, tsOfExtremeOverTime } from './sample-time-kernels.js';
import { doubleExponentialSmoothing } from './smoothing-kernels.js';

const win = (v: number[], stepMs = 10_053) => ({
  t: v.map((_, i) => i * stepMs),
  v,
  lo: 0,
  hi: v.length,
});

describe('sample-time kernels', () => {
  it('finds the time of the extreme, the latest on a tie, NaN losing', () => {
    const w = win([1, 2, 3, 0, 5, 6, 2, 1, 4]);
    expect(tsOfExtremeOverTime(w, 'min')).toBe(30.159);
    expect(tsOfExtremeOverTime(w, 'max')).toBe(50.265);
    expect(tsOfExtremeOverTime(win([Number.NaN, 7, 7, Number.NaN], 1000), 'max')).toBe(2);
  });

  it('reads the first sample and the edges', () => {
    const w = { ...win([4, 5, 6], 1000), lo: 1 };
    expect(firstOverTime(w)).toBe(5);
    expect(tsOfEdgeOverTime(w, 'first')).toBe(1);
    expect(tsOfEdgeOverTime(w, 'last')).toBe(2);
    expect(firstOverTime({ ...w, lo: 3 })).toBeUndefined();
  });
});

describe('madOverTime', () => {
  it('is the median absolute deviation, NaN when any sample is NaN', () => {
    expect(madOverTime(win([4, 6, 2, 1, 999, 1, 2]))).toBe(1);
    expect(madOverTime(win([7, 7, 7]))).toBe(0);
    expect(madOverTime(win([1, 2, Number.NaN, 4]))).toBeNaN();
  });
});

describe('doubleExponentialSmoothing', () => {
  it('follows a linear trend exactly', () => {
    expect(doubleExponentialSmoothing(win([0, 10, 20, 30, 40]), 0.01, 0.1)).toBeCloseTo(40, 9);
  });

  it('needs two samples and factors inside (0, 1)', () => {
    expect(doubleExponentialSmoothing(win([1]), 0.5, 0.5)).toBeUndefined();
    expect(() => doubleExponentialSmoothing(win([1, 2]), 1, 0.5)).toThrow(
      'invalid smoothing factor. Expected: 0 < sf < 1, got: 1.000000',
    );
    expect(() => doubleExponentialSmoothing(win([1, 2]), 0.5, 0)).toThrow(
      'invalid trend factor. Expected: 0 < tf < 1, got: 0.000000',
    );
  });
});
