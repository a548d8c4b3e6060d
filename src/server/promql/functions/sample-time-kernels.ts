/** Range kernels that read which sample: first_over_time and the ts_of_*_over_time family. */
import type { SampleWindow } from './sample-window.js';

/**
 * The time (seconds) of the window's largest (`max`) or smallest value; on a tie the latest
 * sample wins, and NaN loses to any number, as Prometheus's `ts_of_max_over_time`.
 * @example
 * tsOfExtremeOverTime({ t: [1000, 2000, 3000], v: [5, 7, 7], lo: 0, hi: 3 }, 'max'); // 3
 */
export function tsOfExtremeOverTime(w: SampleWindow, which: 'min' | 'max'): number | undefined {
  const { t, v, lo, hi } = w;
  if (hi <= lo) return undefined;
  let best = v[lo];
  let at = t[lo];
  for (let i = lo; i < hi; i++) {
    const f = v[i];
    const wins = which === 'max' ? f >= best : f <= best;
    if (wins || Number.isNaN(best)) {
      best = f;
      at = t[i];
    }
  }
  return at / 1000;
}

/**
 * first_over_time: the value of the window's oldest sample.
 * @example
 * firstOverTime({ t: [1000, 2000], v: [4, 5], lo: 0, hi: 2 }); // 4
 */
export function firstOverTime(w: SampleWindow): number | undefined {
  return w.hi > w.lo ? w.v[w.lo] : undefined;
}

/**
 * The time (seconds) of the window's oldest (`first`) or newest sample.
 * @example
 * tsOfEdgeOverTime({ t: [1000, 2500], v: [4, 5], lo: 0, hi: 2 }, 'last'); // 2.5
 */
export function tsOfEdgeOverTime(w: SampleWindow, which: 'first' | 'last'): number | undefined {
  if (w.hi <= w.lo) return undefined;
  return w.t[which === 'first' ? w.lo : w.hi - 1] / 1000;
}
