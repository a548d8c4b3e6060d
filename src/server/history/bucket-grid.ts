/** The grid of history buckets one request asks for, the same for the database and the source. */

/** Most buckets one request may ask for; Prometheus draws the line at the same place. */
export const MAX_BUCKETS = 11_000;

/** Whole buckets from `floor(from / step) * step` to the one holding `to`. */
export interface BucketGrid {
  /** Index of the first bucket (its start / step). */
  readonly first: number;
  readonly count: number;
  /** Each bucket's start, ms. */
  readonly t: number[];
}

/**
 * The buckets of `[from, to]` at `stepMs`. Throws `RangeError` for a step that is not a
 * positive whole number, `to < from`, or more than {@link MAX_BUCKETS} buckets.
 *
 * @example
 * ```ts
 * bucketGrid({ from: 90_000, to: 200_000, stepMs: 60_000 }).t; // [60000, 120000, 180000]
 * ```
 */
export function bucketGrid(range: {
  readonly from: number;
  readonly to: number;
  readonly stepMs: number;
}): BucketGrid {
  const { from, to, stepMs } = range;
  if (!(Number.isSafeInteger(stepMs) && stepMs > 0)) {
    throw new RangeError(`step must be a positive whole number of ms, got ${stepMs}`);
  }
  if (!(Number.isFinite(from) && Number.isFinite(to)) || to < from) {
    throw new RangeError(`expected from <= to, got from=${from} to=${to}`);
  }
  const first = Math.floor(from / stepMs);
  const count = Math.floor(to / stepMs) - first + 1;
  if (count > MAX_BUCKETS) {
    throw new RangeError(`${count} buckets asked for, at most ${MAX_BUCKETS}: use a larger step`);
  }
  return { first, count, t: Array.from({ length: count }, (_, i) => (first + i) * stepMs) };
}
