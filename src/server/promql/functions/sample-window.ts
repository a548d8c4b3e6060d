/** The window of one series' samples that a range-vector function reads. */

/**
 * Samples of one series inside one window: indices [lo, hi) of t (ms, strictly ascending) and v.
 * Stale markers are already removed.
 */
export interface SampleWindow {
  readonly t: ArrayLike<number>;
  readonly v: ArrayLike<number>;
  readonly lo: number;
  readonly hi: number;
}

/**
 * rangeEndMs is the window's right edge (evaluation time after offset/@), rangeMs its width, so
 * the window is (rangeEndMs - rangeMs, rangeEndMs]. params are the function's scalar arguments at
 * this step (predict_linear's seconds, quantile_over_time's q). Returns undefined when the
 * function yields no sample for this series at this step.
 * @example
 * const k: RangeKernel = (w) => (w.hi > w.lo ? w.hi - w.lo : undefined); // count_over_time
 */
export type RangeKernel = (
  w: SampleWindow,
  rangeEndMs: number,
  rangeMs: number,
  params: readonly number[],
) => number | undefined;
