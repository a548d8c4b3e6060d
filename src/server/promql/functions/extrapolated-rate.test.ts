/** Tests for rate, increase, delta, irate and idelta against functions.test expectations. */
import { describe, expect, it } from 'vitest';
import { sampledWindow } from '#test-support/sample-window.js';
import { extrapolatedRate, instantValue } from './extrapolated-rate.js';
import type { SampleWindow } from './sample-window.js';

const M = 60_000;

/** Expands promqltest's `a+bxN` notation. */
function series(start: number, step: number, times: number): number[] {
  return Array.from({ length: times + 1 }, (_, i) => start + i * step);
}

const rate = (w: SampleWindow, end: number, range: number) =>
  extrapolatedRate(w, end, range, true, true);
const increase = (w: SampleWindow, end: number, range: number) =>
  extrapolatedRate(w, end, range, true, false);
const delta = (w: SampleWindow, end: number, range: number) =>
  extrapolatedRate(w, end, range, false, false);

describe('increase (functions.test)', () => {
  const foo = series(0, 10, 10);
  const bar = [...series(0, 18, 5), ...series(0, 18, 5)];
  const dings = series(10, 10, 10);
  const bumms = series(1, 10, 10);

  it('extrapolates to the window start when the first sample is close to it', () => {
    expect(increase(sampledWindow(foo, 5 * M, 50 * M, 50 * M), 50 * M, 50 * M)).toBe(100);
    expect(increase(sampledWindow(bar, 5 * M, 50 * M, 50 * M), 50 * M, 50 * M)).toBe(160);
    expect(increase(sampledWindow(dings, 5 * M, 50 * M, 50 * M), 50 * M, 50 * M)).toBe(100);
    expect(increase(sampledWindow(bumms, 5 * M, 50 * M, 50 * M), 50 * M, 50 * M)).toBe(100);
  });

  it('extrapolates half an interval, but not below a counter value of zero', () => {
    expect(increase(sampledWindow(foo, 5 * M, 50 * M, 100 * M), 50 * M, 100 * M)).toBe(100);
    expect(increase(sampledWindow(bar, 5 * M, 50 * M, 100 * M), 50 * M, 100 * M)).toBeCloseTo(
      162,
      12,
    );
    expect(increase(sampledWindow(dings, 5 * M, 50 * M, 100 * M), 50 * M, 100 * M)).toBeCloseTo(
      105,
      12,
    );
    expect(increase(sampledWindow(bumms, 5 * M, 50 * M, 100 * M), 50 * M, 100 * M)).toBeCloseTo(
      101,
      12,
    );
  });

  it('adds the value before a counter reset back', () => {
    const w = sampledWindow([0, 1, 2, 3, 2, 3, 4], 5 * M, 30 * M, 30 * M);
    expect(increase(w, 30 * M, 30 * M)).toBeCloseTo(7, 12);
  });
});

describe('rate (functions.test)', () => {
  it('handles a counter reset in the middle of the range', () => {
    const v = [...series(0, 27, 4), ...series(0, 27, 5)];
    expect(rate(sampledWindow(v, 5 * M, 50 * M, 50 * M), 50 * M, 50 * M)).toBeCloseTo(0.08, 15);
  });

  it('needs two samples, and a reset at the end yields 0', () => {
    const v = [...series(0, 10, 9), 0, 10];
    expect(rate(sampledWindow(v, 5 * M, 50 * M, 5 * M), 50 * M, 5 * M)).toBeUndefined();
    expect(rate(sampledWindow(v, 5 * M, 50 * M, 6 * M), 50 * M, 6 * M)).toBe(0);
  });

  it('is per second', () => {
    const v = series(0, 80, 10);
    // Same float operations in the same order as Go; the .test file's 0.26666666666666666 is
    // compared with a tolerance there.
    expect(rate(sampledWindow(v, 5 * M, 50 * M, 50 * M), 50 * M, 50 * M)).toBe(0.2666666666666667);
  });

  it('reads the window ending at the offset time', () => {
    const a = series(0, 10, 10);
    const b = series(0, 20, 10);
    expect(rate(sampledWindow(a, 5 * M, 45 * M, 10 * M), 45 * M, 10 * M)).toBeCloseTo(1 / 30, 15);
    expect(rate(sampledWindow(b, 5 * M, 45 * M, 10 * M), 45 * M, 10 * M)).toBeCloseTo(2 / 30, 15);
  });

  it('cuts left-side extrapolation at the zero point, at most half an interval', () => {
    const expected10m = [0.5, 0.55, 0.6, 0.6, 0.6, 0.6];
    for (let start = 0; start < 6; start++) {
      const v = series(start * 60, 240, 10);
      const at10 = rate(sampledWindow(v, 4 * M, 10 * M, 20 * M), 10 * M, 20 * M);
      expect(at10).toBeCloseTo(expected10m[start], 12);
      const at50 = rate(sampledWindow(v, 4 * M, 50 * M, 20 * M), 50 * M, 20 * M);
      expect(at50).toBeCloseTo(0.6, 12);
    }
  });
});

describe('delta (functions.test)', () => {
  it('does not treat decreases as resets', () => {
    const up = sampledWindow([0, 50, 100, 150, 200], 5 * M, 20 * M, 20 * M);
    const down = sampledWindow([200, 150, 100, 50, 0], 5 * M, 20 * M, 20 * M);
    expect(delta(up, 20 * M, 20 * M)).toBe(200);
    expect(delta(down, 20 * M, 20 * M)).toBe(-200);
  });

  it('may extrapolate below zero', () => {
    // Samples at 1m and 2m in the window (0, 3m], a minute from each edge: extrapolate fully.
    // The line 5 → 20 crosses zero at 40s, so a counter is only extrapolated back 20s.
    const w: SampleWindow = { t: [M, 2 * M], v: [5, 20], lo: 0, hi: 2 };
    expect(delta(w, 3 * M, 3 * M)).toBe(45);
    expect(increase(w, 3 * M, 3 * M)).toBe(35);
  });
});

describe('irate and idelta (functions.test)', () => {
  it('irate uses the last two samples', () => {
    const foo = series(0, 10, 10);
    const bar = [...series(0, 10, 5), ...series(0, 10, 5)];
    expect(instantValue(sampledWindow(foo, 5 * M, 50 * M, 50 * M), true)).toBeCloseTo(1 / 30, 15);
    expect(instantValue(sampledWindow(bar, 5 * M, 50 * M, 50 * M), true)).toBeCloseTo(1 / 30, 15);
    // At 30m bar has just reset to 0: the increase is the new value, 0.
    expect(instantValue(sampledWindow(bar, 5 * M, 30 * M, 50 * M), true)).toBe(0);
  });

  it('propagates NaN', () => {
    const v = [1, Number.NaN, Number.NaN, 5, 11];
    const got = [0, 5, 10, 15, 20].map((m) =>
      instantValue(sampledWindow(v, 5 * M, m * M, 15 * M + 1000), true),
    );
    expect(got.slice(0, 4)).toEqual([undefined, Number.NaN, Number.NaN, Number.NaN]);
    expect(got[4]).toBeCloseTo(0.02, 15);
    const deltas = [0, 5, 10, 15, 20].map((m) =>
      instantValue(sampledWindow(v, 5 * M, m * M, 15 * M + 1000), false),
    );
    expect(deltas).toEqual([undefined, Number.NaN, Number.NaN, Number.NaN, 6]);
  });

  it('idelta is the plain last difference', () => {
    expect(instantValue(sampledWindow([0, 50, 100, 150], 5 * M, 20 * M, 20 * M), false)).toBe(50);
    expect(instantValue(sampledWindow([0, 50, 100, 50], 5 * M, 20 * M, 20 * M), false)).toBe(-50);
  });

  it('gives nothing for a single sample', () => {
    expect(instantValue({ t: [0], v: [1], lo: 0, hi: 1 }, true)).toBeUndefined();
  });
});

describe('extrapolatedRate on sub-windows', () => {
  it('reads only [lo, hi) of the arrays', () => {
    const t = Float64Array.from({ length: 20 }, (_, i) => i * 15_000);
    const v = Float64Array.from({ length: 20 }, (_, i) => i * 3);
    // Window (60s, 120s]: samples at 75s..120s, every 15s, 3 per sample → 0.2/s.
    expect(extrapolatedRate({ t, v, lo: 5, hi: 9 }, 120_000, 60_000, true, true)).toBeCloseTo(
      0.2,
      15,
    );
  });
});
