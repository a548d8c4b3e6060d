/** rate, increase, delta, irate and idelta over one window, with Prometheus 3's extrapolation. */
import type { SampleWindow } from './sample-window.js';

/**
 * Prometheus's `extrapolatedRate` for float samples: the change over the window (counter resets
 * added back when `isCounter`), extrapolated towards the window edges — all the way when the
 * first/last sample lies within 1.1 average intervals of its edge, else by half an interval —
 * and, for counters, never back past the point where the counter would have been zero.
 * `isRate` divides by the window width in seconds. Fewer than 2 samples → undefined.
 * @example
 * // counter 0,10,…,50 every minute, window (0, 5m]: samples at 1m..5m hold 10..50
 * const w = { t: [60e3, 120e3, 180e3, 240e3, 300e3], v: [10, 20, 30, 40, 50], lo: 0, hi: 5 };
 * extrapolatedRate(w, 300e3, 300e3, true, false); // 50 (increase)
 */
export function extrapolatedRate(
  w: SampleWindow,
  rangeEndMs: number,
  rangeMs: number,
  isCounter: boolean,
  isRate: boolean,
): number | undefined {
  const { t, v, lo, hi } = w;
  const n = hi - lo;
  if (n < 2) return undefined;
  const last = hi - 1;
  const firstT = t[lo];
  const lastT = t[last];
  const firstV = v[lo];
  let result = v[last] - firstV;
  if (isCounter) {
    let prev = firstV;
    for (let i = lo + 1; i < hi; i++) {
      const cur = v[i];
      // A drop means the counter restarted from zero; what it had counted before is added back.
      if (cur < prev) result += prev;
      prev = cur;
    }
  }
  const rangeStartMs = rangeEndMs - rangeMs;
  let durationToStart = (firstT - rangeStartMs) / 1000;
  let durationToEnd = (rangeEndMs - lastT) / 1000;
  const sampledInterval = (lastT - firstT) / 1000;
  const averageInterval = sampledInterval / (n - 1);
  // A gap wider than 1.1 average intervals means the series starts/ends inside the window:
  // extrapolate only half an interval there.
  const threshold = averageInterval * 1.1;
  if (durationToStart >= threshold) durationToStart = averageInterval / 2;
  if (isCounter) {
    // A counter cannot go below zero: stop the extrapolation where the line would cross it.
    let durationToZero = durationToStart;
    if (result > 0 && firstV >= 0) durationToZero = sampledInterval * (firstV / result);
    if (durationToZero < durationToStart) durationToStart = durationToZero;
  }
  if (durationToEnd >= threshold) durationToEnd = averageInterval / 2;
  let factor = (sampledInterval + durationToStart + durationToEnd) / sampledInterval;
  if (isRate) factor /= rangeMs / 1000;
  return result * factor;
}

/**
 * Prometheus's `instantValue`: irate (`isRate`) or idelta from the last two samples. For irate,
 * a drop between them is a counter reset and the last value is taken as the increase.
 * @example
 * instantValue({ t: [0, 15e3, 30e3], v: [5, 8, 2], lo: 0, hi: 3 }, true); // 2 / 15
 */
export function instantValue(w: SampleWindow, isRate: boolean): number | undefined {
  const { t, v, hi } = w;
  if (hi - w.lo < 2) return undefined;
  const a = hi - 2;
  const b = hi - 1;
  const intervalMs = t[b] - t[a];
  if (intervalMs === 0) return undefined;
  const prev = v[a];
  const cur = v[b];
  // NaN compares false, so a NaN pair falls through to the plain difference, as in Go.
  const result = isRate && cur < prev ? cur : cur - prev;
  return isRate ? result / (intervalMs / 1000) : result;
}
