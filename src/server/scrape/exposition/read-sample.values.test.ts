/** Sample values read in one pass on the common path agree with the general float reader, bit for bit. */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ExpositionError } from './exposition-error.js';
import { parseExposition } from './parse-exposition.js';
import { parseFloatToken } from './parse-float.js';

const digits = (max: number) =>
  fc.string({ unit: fc.constantFrom(...'0123456789'), maxLength: max });
/** Plain decimals of every length around the 15-digit limit, and tokens that only start like one. */
const token = fc
  .tuple(
    fc.constantFrom('', '-', '+', '--'),
    digits(18),
    fc.option(digits(18), { nil: undefined }),
    fc.constantFrom('', 'e3', 'E-2', 'x', '.', '_1'),
  )
  .map(([sign, whole, fraction, tail]) =>
    [sign, whole, fraction === undefined ? '' : `.${fraction}`, tail].join(''),
  );

describe('sample values', () => {
  it('read as parseFloatToken reads them, whatever ends the token', () => {
    fc.assert(
      fc.property(token, fc.constantFrom('\n', ' \n', '\t1\n', ''), (value, after) => {
        const expected = value === '' ? undefined : parseFloatToken(value, 0, value.length);
        let actual: number | undefined;
        try {
          actual = parseExposition(`m ${value}${after}`).samples[0].value;
        } catch (err) {
          expect(err).toBeInstanceOf(ExpositionError);
        }
        if (expected === undefined) expect(actual).toBeUndefined();
        else expect(Object.is(actual, expected)).toBe(true);
      }),
      { numRuns: 3000 },
    );
  });

  it('keeps -0, leading zeros and a bare trailing point', () => {
    const values = parseExposition('a -0\nb 007\nc 5.\nd -12.50\ne 123456789012345\n').samples;
    expect(values.map((s) => s.value)).toEqual([-0, 7, 5, -12.5, 123456789012345]);
    expect(Object.is(values[0].value, -0)).toBe(true);
  });
});
