import { describe, expect, it } from 'vitest';
import { parsePromql } from './parse.js';
import { readWindowMs } from './read-window.js';

const MIN = 60_000;
const window = (q: string) => readWindowMs(parsePromql(q));

describe('readWindowMs', () => {
  it('is the lookback for an instant selector and the range for a range selector', () => {
    expect(window('up')).toBe(5 * MIN);
    expect(window('rate(x[1h])')).toBe(60 * MIN);
    expect(window('sum(rate(x[10m])) / sum(rate(y[1h] offset 1d))')).toBe(25 * 60 * MIN);
  });

  it('adds a subquery range to what its inner query reads', () => {
    expect(window('avg_over_time(clamp((rate(x[5m])), 0, 1)[3d:15s])')).toBe(
      3 * 1440 * MIN + 5 * MIN,
    );
  });

  it('counts a pinned selector as no window, and a negative offset as less', () => {
    expect(window('x @ 1700000000')).toBe(0);
    expect(window('rate(x[10m] offset -5m)')).toBe(5 * MIN);
    expect(window('1 + 2')).toBe(0);
  });
});
