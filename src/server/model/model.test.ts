import { describe, expect, it } from 'vitest';
import { isStaleNaN, STALE_NAN } from './model.js';

describe('staleness marker', () => {
  it('is a NaN that only isStaleNaN recognises', () => {
    expect(Number.isNaN(STALE_NAN)).toBe(true);
    expect(isStaleNaN(STALE_NAN)).toBe(true);
    expect(isStaleNaN(Number.NaN)).toBe(false);
    expect(isStaleNaN(0)).toBe(false);
    expect(isStaleNaN(Number.POSITIVE_INFINITY)).toBe(false);
  });

  it('survives a trip through a Float64Array', () => {
    const a = new Float64Array(1);
    a[0] = STALE_NAN;
    expect(isStaleNaN(a[0])).toBe(true);
  });
});
