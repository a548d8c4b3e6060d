/** histogram_fraction over classic `le` buckets, interpolating linearly inside a bucket. */
import { type Bucket, normalizeBuckets } from './bucket-quantile.js';

/**
 * The estimated share of observations between `lower` and `upper` in a classic histogram, as
 * Prometheus 3 estimates it: the cumulative count at each end, interpolated linearly inside the
 * bucket it falls in, their difference divided by the total. The lowest bucket spans from 0 when
 * its bound is positive (as histogram_quantile assumes), else from -Inf. A bucket with an
 * infinite end holds its observations at that end, so a finite value inside it gains none.
 *
 * NaN for a NaN bound, no +Inf bucket, or no observations; 0 when `lower >= upper`.
 * @example
 * const b = [{ upperBound: 1, count: 1 }, { upperBound: 2, count: 3 }, { upperBound: Infinity, count: 100 }];
 * bucketFraction(0, 1.5, b); // 0.02: one observation in [0, 1], half of the two in (1, 2]
 */
export function bucketFraction(lower: number, upper: number, buckets: readonly Bucket[]): number {
  const normal = normalizeBuckets(buckets);
  if (normal === undefined) return Number.NaN;
  const { bounds, counts } = normal;
  const total = counts[counts.length - 1];
  if (total === 0 || Number.isNaN(lower) || Number.isNaN(upper)) return Number.NaN;
  if (lower >= upper) return 0;
  return (rankAt(upper, bounds, counts) - rankAt(lower, bounds, counts)) / total;
}

/** The estimated cumulative count of observations ≤ `x`. */
function rankAt(x: number, bounds: readonly number[], counts: readonly number[]): number {
  let below = 0;
  for (let i = 0; i < bounds.length; i++) {
    const start = i > 0 ? bounds[i - 1] : bounds[0] > 0 ? 0 : Number.NEGATIVE_INFINITY;
    const end = bounds[i];
    if (x <= start) return below;
    if (x < end) {
      if (end === Number.POSITIVE_INFINITY) return below;
      if (start === Number.NEGATIVE_INFINITY) return counts[i];
      return below + ((counts[i] - below) * (x - start)) / (end - start);
    }
    below = counts[i];
  }
  return below;
}
