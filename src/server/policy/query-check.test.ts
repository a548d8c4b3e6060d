/** The load-time PromQL check: the engine's own parser, types and supported set, blaming a character. */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { engineQueryCheck } from './query-check.js';

describe('engineQueryCheck', () => {
  const demo = parse(readFileSync('demo/kpi-lights.yaml', 'utf8')) as { kpis: { query: string }[] };

  it.each([
    'up == 0',
    'sum by (agency) (rate(http_requests_total{status=~"5.."}[1m]))',
    'histogram_quantile(0.9, sum by (le) (rate(x_bucket[5m])))',
    'sum(rate(x_bucket{le="2"}[5m])) / sum(rate(x_count[5m]))',
    'scalar(up)',
    ...demo.kpis.map((k) => k.query.trim()),
  ])('accepts %s', (q) => {
    expect(engineQueryCheck(q)).toBeUndefined();
  });

  it.each([
    ['sum(rate(x[1m])', { kind: 'syntax', message: 'unclosed left parenthesis', offset: 14 }],
    ['avg(x{job=})', { kind: 'syntax', message: 'unexpected "}"', offset: 10 }],
    [
      'rate(x)',
      {
        kind: 'type',
        message: 'expected type range vector in call to function "rate", got instant vector',
        offset: 5,
      },
    ],
    [
      'x[5m]',
      {
        kind: 'type',
        message: 'a KPI query must give an instant vector or a scalar, got range vector',
        offset: 0,
      },
    ],
    ['info(x)', { kind: 'unsupported', message: 'not supported: info', offset: 0 }],
    [
      'sum(histogram_count(x))',
      { kind: 'unsupported', message: 'not supported: histogram_count', offset: 4 },
    ],
  ])('blames %s', (q, problem) => {
    expect(engineQueryCheck(q)).toEqual(problem);
  });
});
