/** The *_over_time aggregations over one window of samples, as Prometheus 3 computes them. */
import { kahanCompensation } from './kahan-sum.js';
import { quantileOfRange } from './quantile.js';
import type { SampleWindow } from './sample-window.js';

/**
 * avg_over_time: a Kahan-compensated sum divided by the count while the sum stays finite, an
 * incremental mean once it would overflow (Prometheus's `funcAvgOverTime`).
 * @example
 * avgOverTime({ t: [1, 2, 3], v: [1, 2, 4], lo: 0, hi: 3 }); // 2.3333333333333335
 */
export function avgOverTime(w: SampleWindow): number | undefined {
  const { v, lo, hi } = w;
  if (hi <= lo) return undefined;
  let sum = v[lo];
  let count = 1;
  let mean = 0;
  let c = 0;
  let incremental = false;
  for (let i = lo + 1; i < hi; i++) {
    const f = v[i];
    count = i - lo + 1;
    if (!incremental) {
      const t = sum + f;
      if (t !== Number.POSITIVE_INFINITY && t !== Number.NEGATIVE_INFINITY) {
        c = kahanCompensation(sum, f, t, c);
        sum = t;
        continue;
      }
      // The plain sum would overflow: switch to the incremental mean from here on.
      incremental = true;
      mean = sum / (count - 1);
      c /= count - 1;
    }
    const q = (count - 1) / count;
    const inc = f / count;
    const base = q * mean;
    const t = base + inc;
    c = kahanCompensation(base, inc, t, q * c);
    mean = t;
  }
  if (incremental) return mean + c;
  return sum / count + c / count;
}

/**
 * sum_over_time, Kahan-compensated; an overflowed sum is returned without the compensation.
 * @example
 * sumOverTime({ t: [1, 2, 3], v: [1e16, 1, -1e16], lo: 0, hi: 3 }); // 1
 */
export function sumOverTime(w: SampleWindow): number | undefined {
  const { v, lo, hi } = w;
  if (hi <= lo) return undefined;
  let sum = 0;
  let c = 0;
  for (let i = lo; i < hi; i++) {
    const f = v[i];
    const t = sum + f;
    c = kahanCompensation(sum, f, t, c);
    sum = t;
  }
  if (sum === Number.POSITIVE_INFINITY || sum === Number.NEGATIVE_INFINITY) return sum;
  return sum + c;
}

/**
 * max_over_time: NaN values lose to any number; all-NaN gives NaN.
 * @example
 * maxOverTime({ t: [1, 2, 3], v: [Number.NaN, 3, 1], lo: 0, hi: 3 }); // 3
 */
export function maxOverTime(w: SampleWindow): number | undefined {
  const { v, lo, hi } = w;
  if (hi <= lo) return undefined;
  let m = v[lo];
  for (let i = lo; i < hi; i++) {
    const f = v[i];
    if (f > m || Number.isNaN(m)) m = f;
  }
  return m;
}

/**
 * min_over_time: NaN values lose to any number; all-NaN gives NaN.
 * @example
 * minOverTime({ t: [1, 2, 3], v: [2, Number.NaN, 1], lo: 0, hi: 3 }); // 1
 */
export function minOverTime(w: SampleWindow): number | undefined {
  const { v, lo, hi } = w;
  if (hi <= lo) return undefined;
  let m = v[lo];
  for (let i = lo; i < hi; i++) {
    const f = v[i];
    if (f < m || Number.isNaN(m)) m = f;
  }
  return m;
}

/**
 * Population variance of the window, Welford-style with Kahan-compensated mean and sum of
 * squares (Prometheus's `varianceOverTime`).
 * @example
 * stdvarOverTime({ t: [1, 2, 3, 4], v: [2, 4, 4, 6], lo: 0, hi: 4 }); // 2
 */
export function stdvarOverTime(w: SampleWindow): number | undefined {
  const { v, lo, hi } = w;
  if (hi <= lo) return undefined;
  let count = 0;
  let mean = 0;
  let cMean = 0;
  let aux = 0;
  let cAux = 0;
  for (let i = lo; i < hi; i++) {
    const f = v[i];
    count++;
    const delta = f - (mean + cMean);
    const inc = delta / count;
    let t = mean + inc;
    cMean = kahanCompensation(mean, inc, t, cMean);
    mean = t;
    const sq = delta * (f - (mean + cMean));
    t = aux + sq;
    cAux = kahanCompensation(aux, sq, t, cAux);
    aux = t;
  }
  return (aux + cAux) / count;
}

/**
 * stddev_over_time: the square root of {@link stdvarOverTime}.
 * @example
 * stddevOverTime({ t: [1, 2], v: [1, 3], lo: 0, hi: 2 }); // 1
 */
export function stddevOverTime(w: SampleWindow): number | undefined {
  const variance = stdvarOverTime(w);
  return variance === undefined ? undefined : Math.sqrt(variance);
}

/**
 * quantile_over_time with q = params[0] (q < 0 → -Inf, q > 1 → +Inf, NaN → NaN).
 * @example
 * quantileOverTime({ t: [1, 2, 3], v: [1, 2, 3], lo: 0, hi: 3 }, [0.25]); // 1.5
 */
export function quantileOverTime(w: SampleWindow, params: readonly number[]): number | undefined {
  if (w.hi <= w.lo || params.length === 0) return undefined;
  return quantileOfRange(params[0], w.v, w.lo, w.hi);
}

/** How many neighbouring samples in the window satisfy `counts(prev, cur)`. */
function countNeighbours(
  w: SampleWindow,
  counts: (prev: number, cur: number) => boolean,
): number | undefined {
  const { v, lo, hi } = w;
  if (hi <= lo) return undefined;
  let n = 0;
  for (let i = lo + 1; i < hi; i++) if (counts(v[i - 1], v[i])) n++;
  return n;
}

/**
 * changes: how often the value differs from the one before (two NaNs in a row are no change).
 * @example
 * changes({ t: [1, 2, 3, 4], v: [1, 1, 2, 1], lo: 0, hi: 4 }); // 2
 */
export function changes(w: SampleWindow): number | undefined {
  return countNeighbours(
    w,
    (prev, cur) => cur !== prev && !(Number.isNaN(cur) && Number.isNaN(prev)),
  );
}

/**
 * resets: how often the value drops below the one before.
 * @example
 * resets({ t: [1, 2, 3, 4], v: [5, 1, 3, 0], lo: 0, hi: 4 }); // 2
 */
export function resets(w: SampleWindow): number | undefined {
  return countNeighbours(w, (prev, cur) => cur < prev);
}

/**
 * mad_over_time: the median of the absolute deviations from the median. A NaN sample makes the
 * result NaN rather than being sorted away, as in Prometheus.
 * @example
 * madOverTime({ t: [1, 2, 3, 4, 5], v: [1, 2, 3, 4, 5], lo: 0, hi: 5 }); // 1
 */
export function madOverTime(w: SampleWindow): number | undefined {
  const { v, lo, hi } = w;
  if (hi <= lo) return undefined;
  for (let i = lo; i < hi; i++) if (Number.isNaN(v[i])) return Number.NaN;
  const median = quantileOfRange(0.5, v, lo, hi);
  const deviations = new Float64Array(hi - lo);
  for (let i = lo; i < hi; i++) deviations[i - lo] = Math.abs(v[i] - median);
  return quantileOfRange(0.5, deviations, 0, deviations.length);
}
