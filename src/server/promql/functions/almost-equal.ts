/** Prometheus's `almost.Equal`: float equality up to a relative tolerance. */

/** The smallest positive normal float64. */
export const MIN_NORMAL = 2.2250738585072014e-308;

/**
 * True when a and b differ by less than `epsilon` relative to their magnitude (near zero:
 * absolutely, by `epsilon` × the smallest normal). NaN equals NaN.
 * @example almostEqual(1, 1 + 1e-9, 1e-6) // true
 */
export function almostEqual(a: number, b: number, epsilon: number): boolean {
  if (Number.isNaN(a) && Number.isNaN(b)) return true;
  if (a === b) return true;
  const absSum = Math.abs(a) + Math.abs(b);
  const diff = Math.abs(a - b);
  if (a === 0 || b === 0 || absSum < MIN_NORMAL) return diff < epsilon * MIN_NORMAL;
  return diff / Math.min(absSum, Number.MAX_VALUE) < epsilon;
}
