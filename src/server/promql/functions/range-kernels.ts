/** The range-vector function kernels by PromQL name, called once per series and step. */
import { extrapolatedRate, instantValue } from './extrapolated-rate.js';
import { linearRegression, type Regression } from './linear-regression.js';
import {
  avgOverTime,
  changes,
  madOverTime,
  maxOverTime,
  minOverTime,
  quantileOverTime,
  resets,
  stddevOverTime,
  stdvarOverTime,
  sumOverTime,
} from './over-time-kernels.js';
import { firstOverTime, tsOfEdgeOverTime, tsOfExtremeOverTime } from './sample-time-kernels.js';
import type { RangeKernel, SampleWindow } from './sample-window.js';
import { doubleExponentialSmoothing } from './smoothing-kernels.js';

export { extrapolatedRate, instantValue } from './extrapolated-rate.js';
export { linearRegression, type Regression } from './linear-regression.js';
export * from './over-time-kernels.js';
export type { RangeKernel, SampleWindow } from './sample-window.js';

// One result object for every regression: kernels run one at a time, so sharing is safe.
const regression: Regression = { slope: 0, intercept: 0 };

/**
 * deriv: the per-second slope of the least-squares line (intercept at the first sample's time,
 * which keeps the x values small). Fewer than 2 samples → undefined.
 * @example
 * deriv({ t: [0, 60e3, 120e3], v: [0, 6, 12], lo: 0, hi: 3 }); // 0.1
 */
export function deriv(w: SampleWindow): number | undefined {
  if (w.hi - w.lo < 2) return undefined;
  return linearRegression(w.t, w.v, w.lo, w.hi, w.t[w.lo], regression).slope;
}

/**
 * predict_linear: the fitted line's value `params[0]` seconds after the evaluation time.
 * Prometheus anchors the line at the step's evaluation timestamp, which differs from the
 * window's right edge under `offset`/`@`; pass it as `params[1]` (ms) in that case, otherwise
 * `rangeEndMs` is used.
 * @example
 * predictLinear({ t: [0, 60e3], v: [0, 6], lo: 0, hi: 2 }, 60e3, [60]); // 12
 */
export function predictLinear(
  w: SampleWindow,
  rangeEndMs: number,
  params: readonly number[],
): number | undefined {
  if (w.hi - w.lo < 2 || params.length === 0) return undefined;
  const evalTimeMs = params.length > 1 ? params[1] : rangeEndMs;
  const r = linearRegression(w.t, w.v, w.lo, w.hi, evalTimeMs, regression);
  return r.slope * params[0] + r.intercept;
}

/**
 * Every range-vector function this engine evaluates over float samples, keyed by PromQL name.
 * `absent_over_time` is not here: its output depends on the selector's labels, not on samples.
 * @example
 * RANGE_KERNELS.rate({ t: [60e3, 120e3], v: [1, 2], lo: 0, hi: 2 }, 120e3, 120e3, []); // 1/60
 */
export const RANGE_KERNELS: Readonly<Record<string, RangeKernel>> = Object.freeze({
  rate: (w, end, range) => extrapolatedRate(w, end, range, true, true),
  increase: (w, end, range) => extrapolatedRate(w, end, range, true, false),
  delta: (w, end, range) => extrapolatedRate(w, end, range, false, false),
  irate: (w) => instantValue(w, true),
  idelta: (w) => instantValue(w, false),
  resets: (w) => resets(w),
  changes: (w) => changes(w),
  deriv: (w) => deriv(w),
  predict_linear: (w, end, _range, params) => predictLinear(w, end, params),
  avg_over_time: (w) => avgOverTime(w),
  min_over_time: (w) => minOverTime(w),
  max_over_time: (w) => maxOverTime(w),
  sum_over_time: (w) => sumOverTime(w),
  count_over_time: (w) => (w.hi > w.lo ? w.hi - w.lo : undefined),
  last_over_time: (w) => (w.hi > w.lo ? w.v[w.hi - 1] : undefined),
  present_over_time: (w) => (w.hi > w.lo ? 1 : undefined),
  stddev_over_time: (w) => stddevOverTime(w),
  stdvar_over_time: (w) => stdvarOverTime(w),
  quantile_over_time: (w, _end, _range, params) => quantileOverTime(w, params),
  mad_over_time: (w) => madOverTime(w),
  first_over_time: (w) => firstOverTime(w),
  ts_of_first_over_time: (w) => tsOfEdgeOverTime(w, 'first'),
  ts_of_last_over_time: (w) => tsOfEdgeOverTime(w, 'last'),
  ts_of_min_over_time: (w) => tsOfExtremeOverTime(w, 'min'),
  ts_of_max_over_time: (w) => tsOfExtremeOverTime(w, 'max'),
  double_exponential_smoothing: (w, _end, _range, params) =>
    doubleExponentialSmoothing(w, params[0], params[1]),
});
