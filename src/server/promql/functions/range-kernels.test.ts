/** Tests for deriv, predict_linear and the RANGE_KERNELS table. */
import { describe, expect, it } from 'vitest';
import { sampledWindow } from '#test-support/sample-window.js';
import { deriv, predictLinear, RANGE_KERNELS } from './range-kernels.js';
import type { SampleWindow } from './sample-window.js';

const M = 60_000;

const resetMiddle = [0, 10, 20, 30, 40, 0, 10, 20, 30, 40, 50];
const canary = Array.from({ length: 11 }, (_, i) => i * 80);

describe('deriv (functions.test)', () => {
  it('equals rate for a steady counter', () => {
    expect(deriv(sampledWindow(canary, 5 * M, 50 * M, 50 * M))).toBeCloseTo(
      0.26666666666666666,
      15,
    );
  });

  it('fits through a reset', () => {
    expect(deriv(sampledWindow(resetMiddle, 5 * M, 50 * M, 100 * M))).toBeCloseTo(
      0.010606060606060607,
      15,
    );
  });

  it('is NaN with infinities', () => {
    const v = [Number.NEGATIVE_INFINITY, ...canary, Number.POSITIVE_INFINITY];
    expect(deriv(sampledWindow(v, 5 * M, 100 * M, 100 * M))).toBeNaN();
  });

  it('needs two samples', () => {
    expect(deriv({ t: [0], v: [1], lo: 0, hi: 1 })).toBeUndefined();
  });
});

describe('predict_linear (functions.test)', () => {
  it('predicts from the evaluation time', () => {
    const w = sampledWindow(resetMiddle, 5 * M, 50 * M, 50 * M);
    expect(predictLinear(w, 50 * M, [3600])).toBeCloseTo(70, 12);
  });

  it('anchors at params[1] (the step time) when offset or @ moved the window', () => {
    // predict_linear(x[55m] @ 3000, 3600) evaluated at 50m, 10m and 70m.
    const w = sampledWindow(resetMiddle, 5 * M, 3_000_000, 55 * M);
    expect(predictLinear(w, 3_000_000, [3600, 50 * M])).toBeCloseTo(76.81818181818181, 11);
    expect(predictLinear(w, 3_000_000, [3600, 10 * M])).toBeCloseTo(51.36363636363637, 11);
    expect(predictLinear(w, 3_000_000, [3600, 70 * M])).toBeCloseTo(89.54545454545455, 11);
  });

  it('matches value + deriv × t when the last sample is at the evaluation time', () => {
    const w = sampledWindow(canary, 5 * M, 50 * M, 50 * M);
    const d = deriv(w)!;
    expect(predictLinear(w, 50 * M, [3600])! - (800 + d * 3600)).toBeCloseTo(0, 9);
  });
});

describe('RANGE_KERNELS', () => {
  const w = sampledWindow([1, 2, 3, 4, 5], 10_000, 55_000, 60_000);

  it('maps PromQL names to kernels', () => {
    expect(RANGE_KERNELS.count_over_time(w, 55_000, 60_000, [])).toBe(5);
    expect(RANGE_KERNELS.last_over_time(w, 55_000, 60_000, [])).toBe(5);
    expect(RANGE_KERNELS.present_over_time(w, 55_000, 60_000, [])).toBe(1);
    expect(RANGE_KERNELS.avg_over_time(w, 55_000, 60_000, [])).toBe(3);
    expect(RANGE_KERNELS.sum_over_time(w, 55_000, 60_000, [])).toBe(15);
    expect(RANGE_KERNELS.quantile_over_time(w, 55_000, 60_000, [0.5])).toBe(3);
    // Samples 0s..40s in (-5s, 55s]: 5s to the start (extrapolated), 15s to the end (more than
    // 1.1 × 10s, so only 5s): 4 × (40 + 5 + 5) / 40.
    expect(RANGE_KERNELS.delta(w, 55_000, 60_000, [])).toBe(5);
    // The line 1 + t/10s, 10s past the 55s evaluation time.
    expect(RANGE_KERNELS.predict_linear(w, 55_000, 60_000, [10])).toBeCloseTo(7.5, 12);
  });

  it('yields nothing for an empty window', () => {
    const empty: SampleWindow = { t: [], v: [], lo: 0, hi: 0 };
    for (const [name, kernel] of Object.entries(RANGE_KERNELS)) {
      expect(kernel(empty, 0, 60_000, [0.5, 0]), name).toBeUndefined();
    }
  });
});
