/** Tests for the calendar kernels against functions.test and Date. */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { DATE_KERNELS } from './date-kernels.js';

const d = DATE_KERNELS;

describe('DATE_KERNELS (functions.test)', () => {
  it('epoch 0 is Thursday 1970-01-01 00:00', () => {
    expect([d.year(0), d.month(0), d.day_of_month(0), d.day_of_year(0)]).toEqual([1970, 1, 1, 1]);
    expect([d.day_of_week(0), d.hour(0), d.minute(0), d.days_in_month(0)]).toEqual([4, 0, 0, 31]);
  });

  it('2006-01-02 22:04:05 (Monday)', () => {
    const t = 1136239445;
    expect([d.year(t), d.month(t), d.day_of_month(t), d.day_of_year(t)]).toEqual([2006, 1, 2, 2]);
    expect([d.day_of_week(t), d.hour(t), d.minute(t)]).toEqual([1, 22, 4]);
  });

  it('year boundaries, leap days and month lengths', () => {
    expect(d.year(1230767999)).toBe(2008);
    expect(d.year(1230768000)).toBe(2009);
    expect(d.month(1456790399) + d.day_of_month(1456790399) / 100).toBe(2.29);
    expect(d.month(1456790400) + d.day_of_month(1456790400) / 100).toBe(3.01);
    expect(d.day_of_year(1483191420)).toBe(366);
    expect(d.day_of_year(1672493820)).toBe(365);
    expect(d.days_in_month(1454284800)).toBe(29);
    expect(d.days_in_month(1485907200)).toBe(28);
  });

  it('truncates fractions towards zero, as Go’s int64 conversion', () => {
    expect(d.minute(59.9)).toBe(0);
    // -0.5 truncates to 0, still 1970; -1 is 1969-12-31 23:59:59, a Wednesday.
    expect(d.year(-0.5)).toBe(1970);
    expect([d.year(-1), d.hour(-1), d.minute(-1), d.day_of_week(-1)]).toEqual([1969, 23, 59, 3]);
  });

  it('gives NaN for NaN and ±Inf', () => {
    for (const f of Object.values(d)) {
      expect(f(Number.NaN)).toBeNaN();
      expect(f(Number.POSITIVE_INFINITY)).toBeNaN();
    }
  });

  it('agrees with Date for any second in ±10 000 years', () => {
    fc.assert(
      fc.property(fc.integer({ min: -377_705_116_800, max: 253_402_300_799 }), (s) => {
        const date = new Date(s * 1000);
        // Date.UTC maps years 0–99 to 1900–1999, so build the dates with setUTCFullYear.
        const utc = (y: number, m: number, day: number) => new Date(0).setUTCFullYear(y, m, day);
        const year = date.getUTCFullYear();
        const dayOfYear = Math.floor((s * 1000 - utc(year, 0, 1)) / 86_400_000) + 1;
        const daysInMonth = new Date(utc(year, date.getUTCMonth() + 1, 0)).getUTCDate();
        expect(d.year(s)).toBe(date.getUTCFullYear());
        expect(d.month(s)).toBe(date.getUTCMonth() + 1);
        expect(d.day_of_month(s)).toBe(date.getUTCDate());
        expect(d.day_of_week(s)).toBe(date.getUTCDay());
        expect(d.day_of_year(s)).toBe(dayOfYear);
        expect(d.days_in_month(s)).toBe(daysInMonth);
        expect(d.hour(s)).toBe(date.getUTCHours());
        expect(d.minute(s)).toBe(date.getUTCMinutes());
      }),
    );
  });
});
