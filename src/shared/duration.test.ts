/** Duration syntax as Prometheus reads it. */
import { describe, expect, it } from 'vitest';
import { formatDuration, parseDuration, readDuration } from './duration.js';

describe('parseDuration', () => {
  it.each([
    ['15s', 15_000],
    ['3m', 180_000],
    ['1h30m', 5_400_000],
    ['35d', 35 * 86_400_000],
    ['2w', 14 * 86_400_000],
    ['1y', 365 * 86_400_000],
    ['500ms', 500],
    ['1m500ms', 60_500],
    ['0', 0],
  ])('%s is %d ms', (text, ms) => {
    expect(parseDuration(text)).toBe(ms);
  });

  it.each([
    ['', 'invalid duration "": empty (write e.g. 15s, 5m, 1h30m)'],
    ['15', 'invalid duration "15": expected <number><unit> with unit one of ms, s, m, h, d, w, y'],
    [
      '1.5h',
      'invalid duration "1.5h": expected <number><unit> with unit one of ms, s, m, h, d, w, y',
    ],
    ['30m1h', 'invalid duration "30m1h": units must go from largest to smallest, each once'],
    ['1s1s', 'invalid duration "1s1s": units must go from largest to smallest, each once'],
  ])('refuses %j', (text, message) => {
    expect(() => parseDuration(text)).toThrow(message);
  });

  it('round-trips through formatDuration', () => {
    for (const text of ['15s', '1h30m', '5w', '1w2d', '1m500ms']) {
      expect(formatDuration(parseDuration(text))).toBe(text);
    }
    expect(formatDuration(0)).toBe('0s');
  });
});

describe('readDuration', () => {
  it.each([
    ['', 'empty'],
    ['1.5h', 'syntax'],
    ['-1s', 'syntax'],
    ['1h ', 'syntax'],
    ['1m1h', 'order'],
    ['1m1m', 'order'],
    ['99999999y', 'range'],
  ] as const)('%j is refused for %s', (text, fault) => {
    expect(readDuration(text)).toEqual({ fault });
  });

  it('reads ms after m as its own unit, not as minutes then seconds', () => {
    expect(readDuration('1m5ms')).toEqual({ ms: 60_005 });
  });
});
