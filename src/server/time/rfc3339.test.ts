/** RFC 3339 as Prometheus's API reads it. */
import { describe, expect, it } from 'vitest';
import { parseRfc3339 } from './rfc3339.js';

describe('parseRfc3339', () => {
  it.each([
    ['2023-11-14T22:13:20Z', 1_700_000_000_000],
    ['2023-11-14T22:13:20.250Z', 1_700_000_000_250],
    ['2023-11-14T22:13:20.250000000Z', 1_700_000_000_250],
    ['2023-11-15T00:13:20+02:00', 1_700_000_000_000],
  ])('reads %s', (text, ms) => {
    expect(parseRfc3339(text)).toBe(ms);
  });

  it.each([
    '2023-11-14 22:13:20Z',
    '2023-11-14t22:13:20Z',
    '2023-11-14T22:13:20z',
    '2023-11-14T22:13:20',
    '2023-11-14',
    '2023-11-14T22:13:20.1234567890Z',
    '2023-13-45T22:13:20Z',
  ])('refuses %j', (text) => {
    expect(parseRfc3339(text)).toBeUndefined();
  });
});
