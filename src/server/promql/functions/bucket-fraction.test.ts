/** Tests for histogram_fraction over classic buckets. */
import { describe, expect, it } from 'vitest';
import { bucketFraction } from './bucket-fraction.js';
import { formatOpenMetricsFloat } from './go-float.js';

const buckets = (pairs: [number, number][]) =>
  pairs.map(([upperBound, count]) => ({ upperBound, count }));
const positive = buckets([
  [1, 1],
  [2, 3],
  [3, 6],
  [Number.POSITIVE_INFINITY, 100],
]);
const negative = buckets([
  [-3, 10],
  [-2, 12],
  [-1, 15],
  [Number.POSITIVE_INFINITY, 100],
]);

describe('bucketFraction', () => {
  it.each([
    [0, 1.5, positive, 0.02],
    [0.5, 2, positive, 0.025],
    [2, 5, positive, 0.03],
    [4, 5, positive, 0],
    [400, Number.POSITIVE_INFINITY, positive, 0.94],
    [-4, -2, negative, 0.02],
    [Number.NEGATIVE_INFINITY, -1.5, negative, 0.135],
    [Number.NEGATIVE_INFINITY, Number.POSITIVE_INFINITY, negative, 1],
    [3, 2, positive, 0],
  ])('(%d, %d) → %d', (lower, upper, b, want) => {
    expect(bucketFraction(lower, upper, b)).toBeCloseTo(want, 12);
  });

  it('is NaN without observations, a +Inf bucket or with a NaN bound', () => {
    expect(bucketFraction(0, 1, buckets([[Number.POSITIVE_INFINITY, 0]]))).toBeNaN();
    expect(bucketFraction(0, 1, buckets([[1, 3]]))).toBeNaN();
    expect(bucketFraction(Number.NaN, 1, positive)).toBeNaN();
  });
});

describe('formatOpenMetricsFloat', () => {
  it.each([
    [0, '0.0'],
    [1, '1.0'],
    [0.25, '0.25'],
    [-0.1, '-0.1'],
    [100000, '100000.0'],
    [1.5e6, '1.5e+06'],
    [1e-5, '1e-05'],
    [Number.NaN, 'NaN'],
    [Number.NEGATIVE_INFINITY, '-Inf'],
  ])('%d → %s', (v, want) => {
    expect(formatOpenMetricsFloat(v)).toBe(want);
  });
});
