/** The load-time PromQL syntax check. */
import { describe, expect, it } from 'vitest';
import { grammarQueryCheck } from './query-check.js';

describe('grammarQueryCheck', () => {
  it.each([
    'up == 0',
    'sum by (agency) (rate(http_requests_total{status=~"5.."}[1m]))',
    'histogram_quantile(0.9, sum by (le) (rate(x_bucket[5m])))',
    'sum(rate(x_bucket{le="2"}[5m])) / sum(rate(x_count[5m]))',
  ])('accepts %s', (q) => {
    expect(grammarQueryCheck(q)).toBeUndefined();
  });

  it.each([
    ['sum(rate(x[1m])', { message: 'unexpected end of query', offset: 14 }],
    ['avg(x{job=})', { message: 'unexpected "}"', offset: 10 }],
    ['rate(x[1m]) foo', { message: 'unexpected "foo"', offset: 12 }],
  ])('blames the first bad spot in %s', (q, problem) => {
    expect(grammarQueryCheck(q)).toEqual(problem);
  });
});
