/** histogram_quantile over classic `le` buckets, as Prometheus's `BucketQuantile` (quantile.go). */
import { almostEqual } from './almost-equal.js';

/** One classic histogram bucket: cumulative count of observations ≤ upperBound. */
export interface Bucket {
  readonly upperBound: number;
  readonly count: number;
}

/** Relative difference below which neighbouring bucket counts count as float noise (Prometheus). */
const SMALL_DELTA_TOLERANCE = 1e-12;

const NAN_RESULT = Object.freeze({
  value: Number.NaN,
  forcedMonotonic: false,
  fixedPrecision: false,
});

/**
 * The φ-quantile `q` of a classic histogram, interpolating linearly inside the bucket the rank
 * falls into. Sorts and coalesces a copy (the input is left alone), silently evens out counts
 * that differ only by float noise (`fixedPrecision`) and removes any remaining decrease
 * (`forcedMonotonic`, which Prometheus reports as an info annotation).
 *
 * Special cases: NaN q → NaN; q < 0 → -Inf; q > 1 → +Inf; highest bound not +Inf, fewer than
 * 2 distinct bounds, or no observations → NaN; rank in the +Inf bucket → the second-highest
 * bound; the lowest bucket interpolates from 0 when its bound is positive, else returns its bound.
 * @example
 * bucketQuantile(0.5, [{ upperBound: 1, count: 10 }, { upperBound: 2, count: 20 },
 *   { upperBound: Infinity, count: 20 }]).value; // 1
 */
export function bucketQuantile(
  q: number,
  buckets: Bucket[],
): { value: number; forcedMonotonic: boolean; fixedPrecision: boolean } {
  if (Number.isNaN(q)) return { ...NAN_RESULT };
  if (q < 0)
    return { value: Number.NEGATIVE_INFINITY, forcedMonotonic: false, fixedPrecision: false };
  if (q > 1)
    return { value: Number.POSITIVE_INFINITY, forcedMonotonic: false, fixedPrecision: false };
  if (buckets.length === 0) return { ...NAN_RESULT };
  const normal = normalizeBuckets(buckets);
  if (normal === undefined) return { ...NAN_RESULT };
  const { bounds, counts, forcedMonotonic, fixedPrecision } = normal;

  const n = counts.length;
  if (n < 2) return { ...NAN_RESULT };
  const observations = counts[n - 1];
  if (observations === 0) return { ...NAN_RESULT };
  let rank = q * observations;
  // First bucket (excluding +Inf) whose cumulative count reaches the rank; n-1 if none does.
  let lo = 0;
  let hi = n - 1;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (counts[mid] >= rank) hi = mid;
    else lo = mid + 1;
  }
  const b = lo;
  if (b === n - 1) return { value: bounds[n - 2], forcedMonotonic, fixedPrecision };
  if (b === 0 && bounds[0] <= 0) return { value: bounds[0], forcedMonotonic, fixedPrecision };
  let bucketStart = 0;
  const bucketEnd = bounds[b];
  let count = counts[b];
  if (b > 0) {
    bucketStart = bounds[b - 1];
    count -= counts[b - 1];
    rank -= counts[b - 1];
  }
  return {
    value: bucketStart + (bucketEnd - bucketStart) * (rank / count),
    forcedMonotonic,
    fixedPrecision,
  };
}

/** Buckets sorted by bound, shared bounds merged, counts made non-decreasing. */
export interface NormalBuckets {
  readonly bounds: number[];
  readonly counts: number[];
  /** A real decrease was evened out (Prometheus reports it as an info annotation). */
  readonly forcedMonotonic: boolean;
  /** Counts differing only by float noise were evened out silently. */
  readonly fixedPrecision: boolean;
}

/**
 * Sorts and coalesces a copy of classic buckets as Prometheus does before reading them
 * (`coalesceBuckets`, `ensureMonotonicAndIgnoreSmallDeltas`); undefined when the highest bound
 * is not +Inf. The input is left alone.
 * @example
 * normalizeBuckets([{ upperBound: Infinity, count: 3 }, { upperBound: 1, count: 4 }])!.counts; // [4, 4]
 */
export function normalizeBuckets(buckets: readonly Bucket[]): NormalBuckets | undefined {
  if (buckets.length === 0) return undefined;
  const sorted = buckets
    .slice()
    .sort((a, b) => (a.upperBound < b.upperBound ? -1 : a.upperBound > b.upperBound ? 1 : 0));
  if (sorted[sorted.length - 1].upperBound !== Number.POSITIVE_INFINITY) return undefined;

  // Coalesce buckets sharing a bound (e.g. le="1" and le="1.0" from different exporters).
  const bounds: number[] = [];
  const counts: number[] = [];
  for (const b of sorted) {
    const k = bounds.length;
    if (k > 0 && bounds[k - 1] === b.upperBound) counts[k - 1] += b.count;
    else {
      bounds.push(b.upperBound);
      counts.push(b.count);
    }
  }

  let forcedMonotonic = false;
  let fixedPrecision = false;
  let prev = counts[0];
  for (let i = 1; i < counts.length; i++) {
    const curr = counts[i];
    if (curr === prev) continue;
    if (almostEqual(prev, curr, SMALL_DELTA_TOLERANCE)) {
      // Float noise, in either direction: keep the accepted count and do not move prev.
      counts[i] = prev;
      fixedPrecision = true;
      continue;
    }
    if (curr < prev) {
      // A real decrease: take the envelope, again without moving prev.
      counts[i] = prev;
      forcedMonotonic = true;
      continue;
    }
    prev = curr;
  }

  return { bounds, counts, forcedMonotonic, fixedPrecision };
}
