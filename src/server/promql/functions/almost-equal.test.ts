/** Tests for Prometheus's almost.Equal. */
import { describe, expect, it } from 'vitest';
import { almostEqual, MIN_NORMAL } from './almost-equal.js';

describe('almostEqual', () => {
  it('compares relative to magnitude', () => {
    expect(almostEqual(1, 1 + 1e-9, 1e-6)).toBe(true);
    expect(almostEqual(1, 1.001, 1e-6)).toBe(false);
    expect(almostEqual(1e20, 1e20 + 1e10, 1e-6)).toBe(true);
  });

  it('treats NaN as equal to NaN and infinities only as themselves', () => {
    expect(almostEqual(Number.NaN, Number.NaN, 1e-6)).toBe(true);
    expect(almostEqual(Number.NaN, 1, 1e-6)).toBe(false);
    expect(almostEqual(Number.POSITIVE_INFINITY, Number.POSITIVE_INFINITY, 1e-6)).toBe(true);
    expect(almostEqual(Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY, 1e-6)).toBe(false);
  });

  it('compares absolutely near zero', () => {
    expect(almostEqual(0, MIN_NORMAL * 1e-7, 1e-6)).toBe(true);
    expect(almostEqual(0, 1e-300, 1e-6)).toBe(false);
  });
});
