/** A range kernel's input built from plain values, for the range-function kernel tests. */
import type { SampleWindow } from '../../src/server/promql/functions/sample-window.js';

/**
 * A series sampled every `stepMs` from t=0 and the window (endMs - rangeMs, endMs] over it.
 * @example sampledWindow([1, 2, 3], 10, 20, 15) // { t: [0, 10, 20], v: [1, 2, 3], lo: 1, hi: 3 }
 */
export function sampledWindow(
  values: number[],
  stepMs: number,
  endMs: number,
  rangeMs: number,
): SampleWindow {
  const t = values.map((_, i) => i * stepMs);
  let lo = 0;
  while (lo < t.length && t[lo] <= endMs - rangeMs) lo++;
  let hi = lo;
  while (hi < t.length && t[hi] <= endMs) hi++;
  return { t, v: values, lo, hi };
}
