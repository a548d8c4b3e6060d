/** `Accept-Encoding` negotiation: q-values, `*`, `identity`, ties in the server's order, and headers that cannot be read. */
import { describe, expect, it } from 'vitest';
import { type ContentCoding, negotiateEncoding } from './accept-encoding.js';

const ALL: readonly ContentCoding[] = ['br', 'gzip', 'identity'];

describe('negotiateEncoding', () => {
  const cases: [string | undefined, ContentCoding | undefined][] = [
    // No header, or an empty one: the file as it is.
    [undefined, 'identity'],
    ['', 'identity'],
    // What browsers send: the smallest the server has.
    ['gzip, deflate, br, zstd', 'br'],
    ['gzip', 'gzip'],
    ['br', 'br'],
    ['deflate', 'identity'],
    // q-values decide; ties go to the server's order.
    ['br;q=0, gzip', 'gzip'],
    ['br;q=0.5, gzip;q=0.8', 'gzip'],
    ['gzip;q=0.5, br;q=0.5', 'br'],
    ['br;q=0.001', 'br'],
    ['gzip;q=0.2, identity;q=0.5', 'identity'],
    // `*` names every coding not named otherwise.
    ['*', 'br'],
    ['*;q=0.5, gzip', 'gzip'],
    ['br;q=0, *', 'gzip'],
    // identity is acceptable unless ruled out.
    ['identity;q=0', undefined],
    ['*;q=0', undefined],
    ['*;q=0, identity', 'identity'],
    ['gzip;q=0, br;q=0', 'identity'],
    ['identity;q=0, gzip', 'gzip'],
    // Spelling: case, spaces, x-gzip, parameters besides q, a coding named twice.
    ['GZIP ; Q=1', 'gzip'],
    ['  br  ;  q=0.9 ,gzip;q=1', 'gzip'],
    ['x-gzip', 'gzip'],
    ['br;level=5', 'br'],
    ['br;q=0, br', 'identity'],
    // An element that cannot be read is skipped, not taken as a refusal or a wish.
    ['br;q=2, gzip', 'gzip'],
    ['br;q=0.5000, gzip;q=0.1', 'gzip'],
    ['br;q=abc', 'identity'],
    [',,;q=1, , gzip', 'gzip'],
  ];
  for (const [header, expected] of cases) {
    it(`answers ${String(expected)} to ${JSON.stringify(header)}`, () => {
      expect(negotiateEncoding(header, ALL)).toBe(expected);
    });
  }

  it('offers only what the server has', () => {
    expect(negotiateEncoding('br, gzip;q=0.5', ['gzip', 'identity'])).toBe('gzip');
    expect(negotiateEncoding('br', ['identity'])).toBe('identity');
    expect(negotiateEncoding('br, identity;q=0', ['identity'])).toBeUndefined();
  });
});
