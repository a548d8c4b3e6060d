/** Tests for Kahan–Neumaier summation. */
import { describe, expect, it } from 'vitest';
import { KahanSum, kahanCompensation, kahanSumInc } from './kahan-sum.js';

describe('Kahan summation', () => {
  it('recovers low-order bits a plain sum loses', () => {
    const s = new KahanSum();
    for (const v of [1, 1e100, 1, -1e100]) s.add(v);
    expect(s.value).toBe(2);
    expect(1 + 1e100 + 1 - 1e100).toBe(0);
  });

  it('uses Neumaier’s swap when the increment is larger than the sum', () => {
    let sum = 0;
    let c = 0;
    for (const v of [1, 1e16, -1e16]) {
      const t = sum + v;
      c = kahanCompensation(sum, v, t, c);
      sum = t;
    }
    expect(sum + c).toBe(1);
  });

  it('resets the compensation on overflow and reports the overflowed sum', () => {
    const s = new KahanSum();
    s.add(1.5);
    s.add(1e308);
    s.add(1e308);
    expect(s.c).toBe(0);
    expect(s.value).toBe(Number.POSITIVE_INFINITY);
    s.reset();
    expect(s.value).toBe(0);
  });

  it('kahanSumInc returns the new sum and compensation', () => {
    const [sum, c] = kahanSumInc(1, 1e16, 0);
    expect(sum).toBe(1e16);
    expect(c).toBe(1);
  });
});
