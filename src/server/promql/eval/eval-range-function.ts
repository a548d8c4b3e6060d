/** Range-vector functions (`rate`, `*_over_time`, …): a sliding window per series over all steps. */

import type { Labels } from '../../model/model.js';
import { RANGE_KERNELS, type SampleWindow } from '../functions/range-kernels.js';
import { POLL_EVERY_STEPS } from './eval-context.js';
import type { MatrixValue, SeriesCol, VectorValue } from './values.js';
import { colFromSteps, newCol } from './values.js';

/** Range functions whose result keeps the metric name. */
const KEEPS_NAME = new Set(['last_over_time', 'first_over_time']);

/** True when `name` is a range function this evaluator has a kernel for. */
export function hasRangeKernel(name: string): boolean {
  return Object.hasOwn(RANGE_KERNELS, name);
}

/**
 * Applies the kernel `name` to every series' window at every step. `params` holds each
 * scalar argument's value per step (`quantile_over_time`'s q, `predict_linear`'s t).
 */
export function evalRangeFunction(
  name: string,
  m: MatrixValue,
  params: readonly Float64Array[],
): VectorValue {
  const kernel = RANGE_KERNELS[name as keyof typeof RANGE_KERNELS];
  const ends = m.ends;
  const n = ends.length;
  const keep = KEEPS_NAME.has(name);
  const out: SeriesCol[] = [];
  const stepParams: number[] = new Array(params.length).fill(0);
  const poll = m.poll;
  for (const s of m.series) {
    poll?.();
    const w: { -readonly [K in keyof SampleWindow]: SampleWindow[K] } = {
      t: s.t,
      v: s.v,
      lo: 0,
      hi: 0,
    };
    let lo = 0;
    let hi = 0;
    const len = s.t.length;
    // Work since the last poll, counted in samples a kernel reads: a step over a subquery's
    // window of millions of samples is one step, yet seconds of work between step polls.
    let work = 0;
    // Steps come in order, so the window slides forward (and restarts if the ends go back).
    const col = colFromSteps(s.labels, n, keep ? s.dropName : true, (i) => {
      const end = ends[i];
      const from = end - m.rangeMs;
      if (i > 0 && end < ends[i - 1]) {
        lo = 0;
        hi = 0;
      }
      while (hi < len && s.t[hi] <= end) hi++;
      while (lo < hi && s.t[lo] <= from) lo++;
      work += 1 + hi - lo;
      if (poll && work >= POLL_EVERY_STEPS) {
        work = 0;
        poll();
      }
      if (lo >= hi) return undefined;
      w.lo = lo;
      w.hi = hi;
      for (let p = 0; p < params.length; p++) stepParams[p] = params[p][i];
      return kernel(w, end, m.rangeMs, stepParams);
    });
    if (col) out.push(col);
  }
  return { type: 'vector', series: out };
}

/** `absent_over_time`: 1 at the steps where no series has a sample in its window. */
export function evalAbsentOverTime(m: MatrixValue, labels: Labels): VectorValue {
  const ends = m.ends;
  const n = ends.length;
  const covered = new Uint8Array(n);
  for (const s of m.series) {
    m.poll?.();
    let lo = 0;
    let hi = 0;
    for (let i = 0; i < n; i++) {
      const end = ends[i];
      if (i > 0 && end < ends[i - 1]) {
        lo = 0;
        hi = 0;
      }
      while (hi < s.t.length && s.t[hi] <= end) hi++;
      while (lo < hi && s.t[lo] <= end - m.rangeMs) lo++;
      if (lo < hi) covered[i] = 1;
    }
  }
  const col = newCol(labels, n);
  let any = false;
  for (let i = 0; i < n; i++) {
    if (covered[i]) continue;
    col.values[i] = 1;
    col.present[i] = 1;
    any = true;
  }
  return { type: 'vector', series: any ? [col] : [] };
}
