/** Tests for Go-compatible float parsing and 'f' formatting. */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { formatGoFloatF, parseGoFloat } from './go-float.js';

describe('parseGoFloat (strconv.ParseFloat)', () => {
  it('parses the le spellings of histograms.test', () => {
    expect(['0.1', '.2', '1e0', '+Inf', '-.2', '-0.1', '0.3'].map(parseGoFloat)).toEqual([
      0.1,
      0.2,
      1,
      Number.POSITIVE_INFINITY,
      -0.2,
      -0.1,
      0.3,
    ]);
  });

  it('accepts Go special values and hex floats', () => {
    expect(parseGoFloat('inf')).toBe(Number.POSITIVE_INFINITY);
    expect(parseGoFloat('-Infinity')).toBe(Number.NEGATIVE_INFINITY);
    expect(parseGoFloat('NaN')).toBeNaN();
    expect(parseGoFloat('0x1p-2')).toBe(0.25);
    expect(parseGoFloat('-0x1.8p1')).toBe(-3);
    expect(parseGoFloat('1e-400')).toBe(0);
  });

  it('rejects what Go rejects', () => {
    for (const s of ['', ' 1', '1 ', '0x10', '1_000', 'abc', '1e', '.', '+', '1e400', '-NaN']) {
      expect(parseGoFloat(s), s).toBeUndefined();
    }
  });
});

describe('formatGoFloatF (strconv.FormatFloat f, -1)', () => {
  it('never uses exponent notation', () => {
    expect(formatGoFloatF(1e21)).toBe('1000000000000000000000');
    expect(formatGoFloatF(1.5e-7)).toBe('0.00000015');
    expect(formatGoFloatF(1.25e22)).toBe('12500000000000000000000');
    expect(formatGoFloatF(-2.5e-10)).toBe('-0.00000000025');
  });

  it('formats ordinary and special values', () => {
    expect(formatGoFloatF(0.1)).toBe('0.1');
    expect(formatGoFloatF(-3)).toBe('-3');
    expect(formatGoFloatF(0)).toBe('0');
    expect(formatGoFloatF(-0)).toBe('-0');
    expect(formatGoFloatF(Number.NaN)).toBe('NaN');
    expect(formatGoFloatF(Number.POSITIVE_INFINITY)).toBe('+Inf');
    expect(formatGoFloatF(Number.NEGATIVE_INFINITY)).toBe('-Inf');
  });

  it('round-trips through parseGoFloat', () => {
    fc.assert(
      fc.property(fc.double({ noNaN: true, noDefaultInfinity: true }), (v) => {
        expect(parseGoFloat(formatGoFloatF(v))).toBe(v);
      }),
    );
  });
});
