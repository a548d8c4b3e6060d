/** Tests for bucketQuantile against histograms.test expectations. */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { type Bucket, bucketQuantile } from './bucket-quantile.js';

const inf = Number.POSITIVE_INFINITY;

function buckets(pairs: Array<[number, number]>): Bucket[] {
  return pairs.map(([upperBound, count]) => ({ upperBound, count }));
}

const q = (phi: number, b: Bucket[]) => bucketQuantile(phi, b).value;

// histograms.test at 50m (each bucket is `0+Nx10`, so 10 × N).
const positive = buckets([
  [0.1, 50],
  [0.2, 70],
  [1, 110],
  [inf, 120],
]);
const negative = buckets([
  [-0.2, 10],
  [-0.1, 20],
  [0.3, 20],
  [inf, 30],
]);
const positive3 = buckets([
  [0, 0],
  [0.1, 50],
  [0.2, 70],
  [1, 110],
  [inf, 110],
]);
const negative3 = buckets([
  [-0.25, 0],
  [-0.2, 10],
  [-0.1, 20],
  [0.3, 20],
  [inf, 20],
]);

describe('bucketQuantile (histograms.test)', () => {
  it('testhistogram', () => {
    const expected = [0, 0.048, 0.15, 0.72, 1];
    for (const [i, p] of [0, 0.2, 0.5, 0.8, 1].entries()) {
      expect(q(p, positive)).toBeCloseTo(expected[i], 15);
    }
    expect(q(0, negative)).toBe(-0.2);
    expect(q(0.2, negative)).toBe(-0.2);
    expect(q(0.5, negative)).toBeCloseTo(-0.15, 15);
    expect(q(0.8, negative)).toBe(0.3);
    expect(q(1, negative)).toBe(0.3);
  });

  it('testhistogram3', () => {
    expect(q(0, positive3)).toBe(0);
    expect(q(0.25, positive3)).toBeCloseTo(0.055, 15);
    expect(q(0.5, positive3)).toBeCloseTo(0.125, 15);
    expect(q(0.75, positive3)).toBeCloseTo(0.45, 15);
    expect(q(1, positive3)).toBe(1);
    expect(q(0, negative3)).toBe(-0.25);
    expect(q(0.25, negative3)).toBeCloseTo(-0.225, 15);
    expect(q(0.5, negative3)).toBe(-0.2);
    expect(q(0.75, negative3)).toBeCloseTo(-0.15, 15);
    expect(q(1, negative3)).toBe(-0.1);
  });

  it('testhistogram2: results in the middle of buckets', () => {
    const b = buckets([
      [0, 0],
      [2, 1],
      [4, 2],
      [6, 3],
      [inf, 3],
    ]);
    expect(q(1 / 6, b)).toBeCloseTo(1, 15);
    expect(q(0.5, b)).toBeCloseTo(3, 15);
    expect(q(5 / 6, b)).toBeCloseTo(5, 15);
  });

  it('forces monotonicity (nonmonotonic_bucket)', () => {
    const b = buckets([
      [0.1, 20],
      [1, 10],
      [10, 50],
      [100, 40],
      [1000, 90],
      [inf, 80],
    ]);
    for (const [phi, expected] of [
      [0.01, 0.0045],
      [0.5, 8.5],
      [0.99, 979.75],
    ]) {
      const r = bucketQuantile(phi, b);
      expect(r.value).toBeCloseTo(expected, 12);
      expect(r.forcedMonotonic).toBe(true);
      expect(r.fixedPrecision).toBe(false);
    }
  });

  it('handles out-of-range and NaN q', () => {
    expect(q(-0.1, positive)).toBe(Number.NEGATIVE_INFINITY);
    expect(q(1.01, positive)).toBe(inf);
    expect(q(Number.NaN, positive)).toBeNaN();
  });

  it('is NaN without observations, without a +Inf bucket or with fewer than 2 buckets', () => {
    expect(
      q(
        1,
        buckets([
          [0, 0],
          [1, 0],
          [2, 0],
          [inf, 0],
        ]),
      ),
    ).toBeNaN();
    expect(
      q(
        0.5,
        buckets([
          [1, 1],
          [2, 2],
        ]),
      ),
    ).toBeNaN();
    expect(q(0.5, buckets([[inf, 5]]))).toBeNaN();
    expect(q(0.5, [])).toBeNaN();
  });
});

describe('bucketQuantile details', () => {
  it('sorts its input without modifying it, and coalesces equal bounds', () => {
    const b = buckets([
      [inf, 6],
      [0.2, 2],
      [0.1, 1],
      [0.2, 2],
      [0.1, 1],
    ]);
    // Coalesced: 0.1 → 2, 0.2 → 4, +Inf → 6; rank 3 lies halfway into (0.1, 0.2].
    expect(q(0.5, b)).toBeCloseTo(0.15, 15);
    expect(b[0].upperBound).toBe(inf);
  });

  it('returns the second-highest bound when the rank falls into +Inf', () => {
    expect(
      q(
        0.99,
        buckets([
          [1, 1],
          [5, 2],
          [inf, 10],
        ]),
      ),
    ).toBe(5);
  });

  it('silently evens out float noise in either direction', () => {
    const noisy = buckets([
      [1, 10],
      [2, 10 * (1 - 1e-15)],
      [3, 20],
      [inf, 20 * (1 + 1e-15)],
    ]);
    const r = bucketQuantile(0.5, noisy);
    expect(r.fixedPrecision).toBe(true);
    expect(r.forcedMonotonic).toBe(false);
    expect(r.value).toBe(1);
  });

  it('returns the lowest bound when it is ≤ 0 and the rank falls into it', () => {
    expect(
      q(
        0.1,
        buckets([
          [-1, 5],
          [1, 10],
          [inf, 10],
        ]),
      ),
    ).toBe(-1);
  });

  it('always lies within the finite bounds for monotonic buckets', () => {
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: 0, max: 100 }), { minLength: 1, maxLength: 10 }),
        fc.double({ min: 0, max: 1, noNaN: true }),
        (increments, phi) => {
          let count = 1;
          const b = increments.map((inc, i) => ({ upperBound: i + 1, count: (count += inc) }));
          b.push({ upperBound: inf, count });
          const got = q(phi, b);
          expect(got).toBeGreaterThanOrEqual(0);
          expect(got).toBeLessThanOrEqual(increments.length);
        },
      ),
    );
  });
});
