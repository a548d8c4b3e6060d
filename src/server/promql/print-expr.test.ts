import { describe, expect, it } from 'vitest';
import { parsePromql } from './parse.js';
import { formatQuery, goFloat, goQuote, printExpr } from './print-expr.js';

const print = (q: string) => printExpr(parsePromql(q));

describe('printExpr', () => {
  // Each expected text is what Prometheus 2.42's format_query answered for the query.
  it.each([
    ['up{z="1",a="2"}', 'up{a="2",z="1"}'],
    ['{__name__="up",z="1"}', '{__name__="up",z="1"}'],
    ['x offset 5m @ 100', 'x @ 100.000 offset 5m'],
    ['x @ start() offset -1h', 'x @ start() offset -1h'],
    ['rate(x[5m] offset 1m)', 'rate(x[5m] offset 1m)'],
    ['x[5m:1m] offset 1d', 'x[5m:1m] offset 1d'],
    ['x[1h:]', 'x[1h:]'],
    ['+1', '1'],
    ['--1', '1'],
    ['- x', '-x'],
    ['x + on(a,b) group_left(c) y', 'x + on (a, b) group_left (c) y'],
    ['x + ignoring() y', 'x + y'],
    ['x + on() y', 'x + on () y'],
    ['x > bool 1', 'x > bool 1'],
    ['sum by() (x)', 'sum(x)'],
    ['sum without(a) (x)', 'sum without (a) (x)'],
    ['sum(x) by (a,b)', 'sum by (a, b) (x)'],
    ['count_values("v", x)', 'count_values("v", x)'],
    ['0x10', '16'],
    ['x offset 90s', 'x offset 1m30s'],
    ['x[7d]', 'x[1w]'],
    ['x[365d]', 'x[1y]'],
  ])('prints %s as %s', (query, expected) => {
    expect(print(query)).toBe(expected);
  });
});

describe('formatQuery', () => {
  it('keeps a short query on one line and lays a long one out as Prometheus does', () => {
    expect(formatQuery(parsePromql('sum(rate(x[5m]))by(job)'))).toBe('sum by (job) (rate(x[5m]))');
    const long =
      'max_over_time(sum by (very_long_label_name_number_one, very_long_label_name_number_two) (rate(some_metric_with_a_long_name_total[5m]))[1h:1m])';
    expect(formatQuery(parsePromql(long))).toBe(
      [
        'max_over_time(',
        '  sum by (very_long_label_name_number_one, very_long_label_name_number_two) (',
        '    rate(some_metric_with_a_long_name_total[5m])',
        '  )[1h:1m]',
        ')',
      ].join('\n'),
    );
  });
});

describe('Go formatting', () => {
  it('formats floats as Go %v does', () => {
    expect([1e6, 123456, 1234567, 0.0001, 0.00001, -2.5, Number.NaN].map(goFloat)).toEqual([
      '1e+06',
      '123456',
      '1.234567e+06',
      '0.0001',
      '1e-05',
      '-2.5',
      'NaN',
    ]);
    expect(goFloat(Number.POSITIVE_INFINITY)).toBe('+Inf');
  });

  it('quotes as strconv.Quote does', () => {
    expect(goQuote('a"b\\c\né\u0001\u2028')).toBe('"a\\"b\\\\c\\né\\x01\\u2028"');
  });
});
