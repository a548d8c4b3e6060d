/** The float syntax of sample values, and that the fast conversion path agrees with Number(). */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { isOutOfRange, parseFloatToken } from './parse-float.js';

const parse = (token: string) => parseFloatToken(token, 0, token.length);

describe('parseFloatToken', () => {
  it('reads the special values in any case, with signs only on the infinities', () => {
    expect(parse('NaN')).toBeNaN();
    expect(parse('nan')).toBeNaN();
    expect(parse('+Inf')).toBe(Infinity);
    expect(parse('-Inf')).toBe(-Infinity);
    expect(parse('Inf')).toBe(Infinity);
    expect(parse('inf')).toBe(Infinity);
    expect(parse('-Infinity')).toBe(-Infinity);
    expect(parse('+infinity')).toBe(Infinity);
    expect(parse('+NaN')).toBeUndefined();
    expect(parse('-nan')).toBeUndefined();
    expect(parse('Infin')).toBeUndefined();
  });

  it('reads decimal forms', () => {
    expect(parse('42')).toBe(42);
    expect(parse('-42')).toBe(-42);
    expect(parse('+4.5')).toBe(4.5);
    expect(parse('.5')).toBe(0.5);
    expect(parse('5.')).toBe(5);
    expect(parse('1e3')).toBe(1000);
    expect(parse('1E-3')).toBe(0.001);
    expect(parse('2.5e+2')).toBe(250);
    expect(Object.is(parse('-0'), -0)).toBe(true);
  });

  it('rejects what Number() would wrongly accept, and malformed decimals', () => {
    for (const token of [
      '',
      '+',
      '-',
      '.',
      'e5',
      '1e',
      '1e+',
      '0x10',
      '0b1',
      '0o7',
      '1_000',
      ' 1',
      '1 ',
      '1.2.3',
      '--1',
      '1e5.5',
      'Infinityx',
    ]) {
      expect(parse(token), token).toBeUndefined();
    }
  });

  it('rejects decimals beyond the double range, and says so', () => {
    expect(parse('1e309')).toBeUndefined();
    expect(parse('-1.8e308')).toBeUndefined();
    expect(isOutOfRange('1e309', 0, 5)).toBe(true);
    expect(isOutOfRange('abc', 0, 3)).toBe(false);
    expect(parse('1e-400')).toBe(0);
  });

  it('reads only its slice of a longer text', () => {
    expect(parseFloatToken('x 12.5 y', 2, 6)).toBe(12.5);
  });

  it('agrees with Number() on random decimal strings', () => {
    const digits = (max: number) =>
      fc.string({ unit: fc.constantFrom(...'0123456789'), maxLength: max });
    const decimal = fc
      .tuple(
        fc.constantFrom('', '-', '+'),
        digits(20),
        fc.option(digits(20), { nil: undefined }),
        fc.option(
          fc.tuple(
            fc.constantFrom('e', 'E'),
            fc.constantFrom('', '-', '+'),
            fc.integer({ min: 0, max: 340 }),
          ),
          {
            nil: undefined,
          },
        ),
      )
      .map(([sign, whole, fraction, exponent]) => {
        const mantissa = fraction === undefined ? whole : `${whole}.${fraction}`;
        return sign + mantissa + (exponent === undefined ? '' : exponent.join(''));
      })
      .filter((token) => /[0-9]/.test(token.split(/[eE]/)[0]));
    fc.assert(
      fc.property(decimal, (token) => {
        const expected = Number(token);
        const actual = parse(token);
        if (Math.abs(expected) === Infinity) expect(actual).toBeUndefined();
        else expect(actual).toBe(expected);
      }),
      { numRuns: 3000 },
    );
  });
});
