/** The φ-quantile of plain values, as Prometheus's `quantile` (aggregator, quantile_over_time). */

// Reused sort buffer: grows to the largest input seen, so steady-state calls allocate nothing
// but a typed-array view.
let scratch = new Float64Array(64);

/**
 * Prometheus's `quantile` over `values[lo, hi)` (the whole array by default): empty or NaN q →
 * NaN, q < 0 → -Inf, q > 1 → +Inf, otherwise linear interpolation between the closest ranks.
 * NaN values sort below every number, as in Prometheus. The input is not modified.
 * @example
 * quantileOfRange(0.5, [3, 1, 2, 10], 0, 4); // 2.5
 */
export function quantileOfRange(
  q: number,
  values: ArrayLike<number>,
  lo: number,
  hi: number,
): number {
  const n = hi - lo;
  if (n <= 0 || Number.isNaN(q)) return Number.NaN;
  if (q < 0) return Number.NEGATIVE_INFINITY;
  if (q > 1) return Number.POSITIVE_INFINITY;
  if (scratch.length < n) scratch = new Float64Array(Math.max(n, scratch.length * 2));
  let nans = 0;
  let m = 0;
  for (let i = lo; i < hi; i++) {
    const x = values[i];
    if (Number.isNaN(x)) nans++;
    else scratch[m++] = x;
  }
  // Typed-array sort is numeric; NaNs are kept apart and count as the lowest ranks.
  if (m > 1) scratch.subarray(0, m).sort();
  const rank = q * (n - 1);
  const floorRank = Math.floor(rank);
  const lowerIndex = Math.max(0, floorRank);
  const upperIndex = Math.min(n - 1, lowerIndex + 1);
  const weight = rank - floorRank;
  const lower = lowerIndex < nans ? Number.NaN : scratch[lowerIndex - nans];
  const upper = upperIndex < nans ? Number.NaN : scratch[upperIndex - nans];
  return lower * (1 - weight) + upper * weight;
}

/**
 * Prometheus's `quantile` of a list of values (see {@link quantileOfRange}).
 * @example
 * quantileOf(0.9, [1, 2, 3, 4, 5]); // 4.6
 * quantileOf(2, [1]); // Infinity
 */
export function quantileOf(q: number, values: number[]): number {
  return quantileOfRange(q, values, 0, values.length);
}
