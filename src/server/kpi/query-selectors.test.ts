/** Selectors read out of PromQL with the lezer grammar: names, matchers, quoting. */
import { describe, expect, it } from 'vitest';
import { querySelectors } from './query-selectors.js';

describe('querySelectors', () => {
  it('finds every selector with its matchers, the metric name as __name__', () => {
    const s = querySelectors(
      'sum(rate(x_bucket{service="efile",le="2"}[5m])) / sum(rate({"x_count", status=~"5.."}[5m])) > 0',
    );
    expect(s).toEqual([
      {
        name: 'x_bucket',
        matchers: [
          { name: '__name__', type: '=', value: 'x_bucket' },
          { name: 'service', type: '=', value: 'efile' },
          { name: 'le', type: '=', value: '2' },
        ],
      },
      {
        name: 'x_count',
        matchers: [
          { name: '__name__', type: '=', value: 'x_count' },
          { name: 'status', type: '=~', value: '5..' },
        ],
      },
    ]);
  });

  it('reads quoted names, single quotes and escapes, and __name__ matchers', () => {
    const [a, b] = querySelectors(`{__name__="up", 'job'!='a"b'} + on() y{"le"="0\\.5"}`);
    expect(a).toEqual({
      name: 'up',
      matchers: [
        { name: '__name__', type: '=', value: 'up' },
        { name: 'job', type: '!=', value: 'a"b' },
      ],
    });
    expect(b.matchers[1]).toEqual({ name: 'le', type: '=', value: '0\\.5' });
  });

  it('gives nothing for a query without selectors', () => {
    expect(querySelectors('vector(1) * 2')).toEqual([]);
  });
});
