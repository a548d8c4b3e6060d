/** double_exponential_smoothing (Holt's linear method), as Prometheus 3 computes it. */
import { PromqlError } from '../promql-error.js';
import type { SampleWindow } from './sample-window.js';

/** Go's `%f`: six decimals. */
const goFixed = (x: number): string => (Number.isFinite(x) ? x.toFixed(6) : String(x));

/**
 * The smoothed level after the window's last sample, with smoothing factor `sf` and trend
 * factor `tf`, both strictly between 0 and 1; no result for fewer than two samples. The trend
 * starts as the first difference, the level as the first value.
 * @throws PromqlError('execution') for a factor outside (0, 1), with Prometheus's text.
 * @example
 * doubleExponentialSmoothing({ t: [0, 1, 2], v: [0, 10, 20], lo: 0, hi: 3 }, 0.5, 0.5); // 20
 */
export function doubleExponentialSmoothing(
  w: SampleWindow,
  sf: number,
  tf: number,
): number | undefined {
  // Prometheus checks the factors only for series that have samples in the window.
  if (w.hi <= w.lo) return undefined;
  if (!(sf > 0 && sf < 1)) {
    throw new PromqlError(
      'execution',
      `invalid smoothing factor. Expected: 0 < sf < 1, got: ${goFixed(sf)}`,
    );
  }
  if (!(tf > 0 && tf < 1)) {
    throw new PromqlError(
      'execution',
      `invalid trend factor. Expected: 0 < tf < 1, got: ${goFixed(tf)}`,
    );
  }
  const { v, lo, hi } = w;
  if (hi - lo < 2) return undefined;
  let previous = 0;
  let level = v[lo];
  let trend = v[lo + 1] - v[lo];
  for (let i = lo + 1; i < hi; i++) {
    // The first step keeps the initial trend; later ones blend in the last level change.
    if (i > lo + 1) trend = tf * (level - previous) + (1 - tf) * trend;
    const next = sf * v[i] + (1 - sf) * (level + trend);
    previous = level;
    level = next;
  }
  return level;
}
