/** Tests for parsePromql: ASTs of typical KPI queries, precedence, modifiers and error reports. */
import { describe, expect, it } from 'vitest';
import type { BinaryExpr, Expr, VectorSelector } from './ast.js';
import { parsePromql, typeOf } from './parse.js';
import { PromqlError } from './promql-error.js';

/** The AST without spans, so expectations stay readable. */
function shape(expr: unknown): unknown {
  if (Array.isArray(expr)) return expr.map(shape);
  if (expr === null || typeof expr !== 'object') return expr;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(expr)) {
    if (k !== 'start' && k !== 'end' && v !== undefined) out[k] = shape(v);
  }
  return out;
}

function failure(query: string): PromqlError {
  try {
    parsePromql(query);
  } catch (e) {
    if (e instanceof PromqlError) return e;
    throw e;
  }
  throw new Error(`expected ${query} to fail`);
}

const sel = (name: string, extra: object = {}) => ({
  kind: 'vector-selector',
  name,
  matchers: [{ name: '__name__', type: '=', value: name }],
  offsetMs: 0,
  ...extra,
});
const num = (value: number) => ({ kind: 'number', value });

describe('parsePromql: representative KPI queries', () => {
  it('parses a histogram aggregation with offset and @', () => {
    const expr = parsePromql('sum by (le) (rate(h_bucket{job="a"}[5m] offset 1m @ 100))');
    expect(shape(expr)).toEqual({
      kind: 'aggregate',
      op: 'sum',
      grouping: ['le'],
      without: false,
      expr: {
        kind: 'call',
        func: 'rate',
        args: [
          {
            kind: 'matrix-selector',
            rangeMs: 300_000,
            vector: {
              kind: 'vector-selector',
              name: 'h_bucket',
              matchers: [
                { name: '__name__', type: '=', value: 'h_bucket' },
                { name: 'job', type: '=', value: 'a' },
              ],
              offsetMs: 60_000,
              at: 100_000,
            },
          },
        ],
      },
    });
    expect(expr).toMatchObject({ start: 0, end: 57 });
  });

  it('parses histogram_quantile over a ratio with on(...) group_left(...)', () => {
    const expr = parsePromql(
      'histogram_quantile(0.99, sum by (le, job) (rate(x_bucket[5m]))) / on(job) group_left(team) info_metric',
    );
    expect(expr.kind).toBe('binary');
    const bin = expr as BinaryExpr;
    expect(bin.op).toBe('/');
    expect(bin.matching).toEqual({
      card: 'many-to-one',
      on: true,
      labels: ['job'],
      include: ['team'],
    });
    expect(shape(bin.rhs)).toEqual(sel('info_metric'));
    expect(bin.lhs).toMatchObject({ kind: 'call', func: 'histogram_quantile' });
  });

  it('parses group_right, ignoring and bool', () => {
    const expr = parsePromql('a > bool ignoring(x, "y.z") group_right b') as BinaryExpr;
    expect(expr.returnBool).toBe(true);
    expect(expr.matching).toEqual({
      card: 'one-to-many',
      on: false,
      labels: ['x', 'y.z'],
      include: [],
    });
  });

  it('gives vector/vector operations a default one-to-one matching and scalars none', () => {
    expect((parsePromql('a + b') as BinaryExpr).matching).toEqual({
      card: 'one-to-one',
      on: false,
      labels: [],
      include: [],
    });
    expect((parsePromql('a and b') as BinaryExpr).matching?.card).toBe('many-to-many');
    expect((parsePromql('a + 1') as BinaryExpr).matching).toBeUndefined();
    expect((parsePromql('1 + 1') as BinaryExpr).matching).toBeUndefined();
  });

  it('parses subqueries with and without step, offset and @', () => {
    expect(shape(parsePromql('max_over_time(rate(x[5m])[30m:1m])'))).toMatchObject({
      kind: 'call',
      args: [{ kind: 'subquery', rangeMs: 1_800_000, stepMs: 60_000, offsetMs: 0 }],
    });
    expect(shape(parsePromql('x[1h:] offset -5m @ end()'))).toEqual({
      kind: 'subquery',
      expr: sel('x'),
      rangeMs: 3_600_000,
      stepMs: 0,
      offsetMs: -300_000,
      at: 'end',
    });
    expect(parsePromql('x @ start()')).toMatchObject({ at: 'start' });
  });

  it('parses aggregation modifiers before or after the body, and parameters', () => {
    const a = shape(parsePromql('topk(5, x) without (instance)'));
    const b = shape(parsePromql('topk without (instance) (5, x)'));
    expect(a).toEqual(b);
    expect(a).toEqual({
      kind: 'aggregate',
      op: 'topk',
      param: num(5),
      expr: sel('x'),
      grouping: ['instance'],
      without: true,
    });
    expect(parsePromql('count_values("v", x)')).toMatchObject({
      op: 'count_values',
      param: { kind: 'string', value: 'v' },
    });
    expect(parsePromql('SUM(x)')).toMatchObject({ kind: 'aggregate', op: 'sum' });
  });

  it('parses selectors: matchers, UTF-8 names, regexes', () => {
    expect(shape(parsePromql('{"my.metric", "service.name"=~"api|web", a!="b"}'))).toEqual({
      kind: 'vector-selector',
      matchers: [
        { name: '__name__', type: '=', value: 'my.metric' },
        { name: 'service.name', type: '=~', value: 'api|web' },
        { name: 'a', type: '!=', value: 'b' },
      ],
      offsetMs: 0,
    });
    expect(parsePromql('up{job=~"(?i)API"}')).toMatchObject({ name: 'up' });
    expect((parsePromql('{job!~""}') as VectorSelector).matchers).toHaveLength(1);
  });

  it('parses optional and variadic function arguments', () => {
    expect(parsePromql('hour()')).toMatchObject({ kind: 'call', func: 'hour', args: [] });
    expect(parsePromql('round(x, 0.5)')).toMatchObject({ args: [{}, { value: 0.5 }] });
    expect(parsePromql('label_join(x, "d", ",", "a", "b", "c")')).toMatchObject({
      func: 'label_join',
    });
  });
});

describe('parsePromql: precedence', () => {
  it('binds ^ right-associatively and tighter than * and +', () => {
    expect(shape(parsePromql('1 + 2 * 3 ^ 2 ^ 2'))).toEqual({
      kind: 'binary',
      op: '+',
      lhs: num(1),
      returnBool: false,
      rhs: {
        kind: 'binary',
        op: '*',
        lhs: num(2),
        returnBool: false,
        rhs: {
          kind: 'binary',
          op: '^',
          lhs: num(3),
          returnBool: false,
          rhs: { kind: 'binary', op: '^', lhs: num(2), rhs: num(2), returnBool: false },
        },
      },
    });
  });

  it('binds ^ tighter than unary minus, including on number literals', () => {
    const powTwo = { kind: 'binary', op: '^', lhs: num(2), rhs: num(2), returnBool: false };
    expect(shape(parsePromql('-2 ^ 2'))).toEqual({ kind: 'unary', op: '-', expr: powTwo });
    expect(shape(parsePromql('- 2^2'))).toEqual({ kind: 'unary', op: '-', expr: powTwo });
    expect(shape(parsePromql('2 ^ -1'))).toMatchObject({ rhs: num(-1) });
    expect(shape(parsePromql('-x ^ 2'))).toMatchObject({ kind: 'unary', expr: { op: '^' } });
    expect(shape(parsePromql('-5'))).toEqual(num(-5));
  });

  it('binds set operators loosest: or < and/unless < comparisons', () => {
    const expr = parsePromql('a or b and c > 1') as BinaryExpr;
    expect(expr.op).toBe('or');
    expect((expr.rhs as BinaryExpr).op).toBe('and');
    expect(((expr.rhs as BinaryExpr).rhs as BinaryExpr).op).toBe('>');
  });

  it('binds offset, @ and ranges to the nearest operand, as Prometheus does', () => {
    expect(shape(parsePromql('a + b offset 5m'))).toMatchObject({
      op: '+',
      lhs: { offsetMs: 0 },
      rhs: { name: 'b', offsetMs: 300_000 },
    });
    expect(shape(parsePromql('-x offset 1m'))).toMatchObject({
      kind: 'unary',
      expr: { kind: 'vector-selector', offsetMs: 60_000 },
    });
    expect(failure('-x[5m]').message).toBe(
      'unary expression only allowed on expressions of type scalar or instant vector, got "range vector"',
    );
  });
});

describe('parsePromql: literals', () => {
  it.each([
    ['1h30m', 5_400_000],
    ['5m', 300_000],
    ['1d', 86_400_000],
    ['1w', 604_800_000],
    ['1y', 31_536_000_000],
    ['100ms', 100],
    ['1m30s500ms', 90_500],
    ['90', 90_000],
    ['1.5', 1500],
  ])('reads the range [%s] as %d ms', (text, ms) => {
    expect(parsePromql(`x[${text}]`)).toMatchObject({ kind: 'matrix-selector', rangeMs: ms });
  });

  it.each([
    ['0x1F', 31],
    ['1e3', 1000],
    ['.5', 0.5],
    ['1_000', 1000],
    ['010', 8],
    ['Inf', Number.POSITIVE_INFINITY],
    ['-inf', Number.NEGATIVE_INFINITY],
    ['5m', 300],
  ])('reads the number %s as %d', (text, value) => {
    expect(parsePromql(text)).toMatchObject({ kind: 'number', value });
  });

  it('reads numbers with a trailing dot, as Go does', () => {
    expect(shape(parsePromql('1./6.'))).toMatchObject({ op: '/', lhs: num(1), rhs: num(6) });
    expect(parsePromql('x{a="1."}')).toMatchObject({ matchers: [{}, { value: '1.' }] });
  });

  it('reads NaN in any case', () => {
    expect((parsePromql('nAn') as { value: number }).value).toBeNaN();
  });

  it.each([
    [String.raw`"a\nb"`, 'a\nb'],
    [String.raw`"tab\there"`, 'tab\there'],
    [String.raw`"q\"q\\"`, 'q"q\\'],
    [String.raw`'it\'s'`, "it's"],
    [String.raw`"\x41\101\u00e9\U0001F600"`, 'AAé😀'],
    [String.raw`"\xc3\xa9"`, 'é'],
    ['`raw\\n`', 'raw\\n'],
    ['"é"', 'é'],
  ])('unquotes %s', (text, value) => {
    expect(parsePromql(text)).toMatchObject({ kind: 'string', value });
  });

  it.each([
    [String.raw`"\q"`, "unknown escape sequence 'q'"],
    [String.raw`"\x4"`, 'illegal character in escape sequence'],
    [String.raw`"\ud800"`, 'escape sequence is an invalid Unicode code point'],
    [String.raw`"\400"`, 'escape sequence is an invalid Unicode code point'],
  ])('rejects the escape in %s', (text, message) => {
    expect(failure(text)).toMatchObject({ kind: 'parse', position: 0, message });
  });

  it('skips comments', () => {
    expect(parsePromql('x # the metric\n + 1')).toMatchObject({ kind: 'binary', op: '+' });
  });
});

describe('parsePromql: syntax errors', () => {
  it.each([
    ['rate(x[5m]', 10, 'unclosed left parenthesis'],
    ['x[5m', 4, 'unclosed left bracket'],
    ['x{a="b"', 7, 'unexpected end of input inside braces'],
    ['x{a="b}', 4, 'unterminated quoted string'],
    ['`abc', 0, 'unterminated raw string'],
    ['1 +', 3, 'unexpected end of input'],
    ['sum(x) by', 9, 'unexpected end of input'],
    ['x]', 1, "unexpected right bracket ']'"],
    ['x)', 1, "unexpected right parenthesis ')'"],
    ['1 + * 2', 4, 'unexpected "*"'],
    ['sum by (a b) (x)', 10, 'unexpected identifier "b"'],
    ['1 2', 2, 'unexpected number "2"'],
    ['rate(x[5m:1m:])', 12, 'unexpected ":"'],
    ['x{a="b" c="d"}', 8, 'unexpected identifier "c"'],
    ['x $ y', 2, "unexpected character: '$'"],
    ['', 0, 'no expression found in input'],
    ['foo(x)', 0, 'unknown function with name "foo"'],
    ['rate (x[5m]) + nope (y)', 15, 'unknown function with name "nope"'],
    ['{}', 0, 'vector selector must contain at least one non-empty matcher'],
    ['{a=~".*", b=""}', 0, 'vector selector must contain at least one non-empty matcher'],
    ['foo{__name__="bar"}', 0, 'metric name must not be set twice: "foo" or "bar"'],
    ['x{a=~"(.*"}', 2, 'error parsing regexp: missing closing ): `(.*`'],
    ['x[0s]', 2, 'duration must be greater than 0'],
    ['x offset 5m offset 1m', 0, 'offset may not be set multiple times'],
    ['x @ 1 @ 2', 0, '@ <timestamp> may not be set multiple times'],
    [
      '(x) offset 5m',
      0,
      'offset modifier must be preceded by an instant vector selector or range vector selector or a subquery',
    ],
    ['x offset 5m [5m]', 0, 'no offset modifiers allowed before range'],
    ['x @ Inf', 0, 'timestamp out of bounds for @ modifier: Infinity'],
  ])('%s fails at %d: %s', (query, position, message) => {
    expect(failure(query)).toMatchObject({ kind: 'parse', position, message });
  });
});

describe('parsePromql: type errors', () => {
  it.each([
    ['rate(x[5m], 1)', 0, 'expected 1 argument(s) in call to "rate", got 2'],
    ['rate(x)', 5, 'expected type range vector in call to function "rate", got instant vector'],
    ['abs(x[5m])', 4, 'expected type instant vector in call to function "abs", got range vector'],
    ['clamp_max(x, "a")', 13, 'expected type scalar in call to function "clamp_max", got string'],
    ['label_join(x, "a")', 0, 'expected at least 3 argument(s) in call to "label_join", got 2'],
    ['round(x, 1, 2)', 0, 'expected at most 2 argument(s) in call to "round", got 3'],
    ['hour(x, x)', 0, 'expected at most 1 argument(s) in call to "hour", got 2'],
    ['time(1)', 0, 'expected 0 argument(s) in call to "time", got 1'],
    ['x[5m] + 1', 0, 'binary expression must contain only scalar and instant vector types'],
    [
      '1 / rate(x[5m])[5m:]',
      4,
      'binary expression must contain only scalar and instant vector types',
    ],
    ['a and 1', 0, 'set operator "and" not allowed in binary scalar expression'],
    ['1 unless a', 0, 'set operator "unless" not allowed in binary scalar expression'],
    ['a or on(x) group_left b', 0, 'no grouping allowed for "or" operation'],
    ['a + on(x) group_left(x) b', 0, 'label "x" must not occur in ON and GROUP clause at once'],
    ['1 > 2', 0, 'comparisons between scalars must use BOOL modifier'],
    ['a + bool b', 0, 'bool modifier can only be used on comparison operators'],
    ['1 + on(a) b', 0, 'vector matching only allowed between instant vectors'],
    ['topk(x, 5)', 8, 'expected type instant vector in aggregation expression, got scalar'],
    ['topk("a", x)', 5, 'expected type scalar in aggregation parameter, got string'],
    ['count_values(1, x)', 13, 'expected type string in aggregation parameter, got scalar'],
    ['sum(x[5m])', 4, 'expected type instant vector in aggregation expression, got range vector'],
    [
      'sum(x, y)',
      0,
      'wrong number of arguments for aggregate expression provided, expected 1, got 2',
    ],
    [
      'quantile(x)',
      0,
      'wrong number of arguments for aggregate expression provided, expected 2, got 1',
    ],
    ['sum()', 0, 'no arguments for aggregate expression provided'],
    ['x[5m][10m:]', 0, 'subquery is only allowed on instant vector, got matrix instead'],
    ['rate(x[5m])[5m]', 0, 'ranges only allowed for vector selectors'],
  ])('%s fails at %d: %s', (query, position, message) => {
    expect(failure(query)).toMatchObject({ kind: 'type', position, message });
  });

  it('accepts comparisons between scalars with bool', () => {
    expect(parsePromql('1 > bool 2')).toMatchObject({ kind: 'binary', returnBool: true });
  });
});

describe('parsePromql: unsupported PromQL', () => {
  it.each([
    ['info(x)', 'not supported: info'],
    ['integral(x[5m])', 'not supported: integral'],
    ['histogram_count(x)', 'not supported: histogram_count'],
    ['histogram_avg(x)', 'not supported: histogram_avg'],
    ['histogram_stddev(x)', 'not supported: histogram_stddev'],
    ['histogram_sum(x)', 'not supported: histogram_sum'],
    ['holt_winters(x[5m], 0.5, 0.5)', 'not supported: holt_winters'],
    ['x[5m+1m]', 'not supported: duration expressions'],
    ['a + fill(0) b', 'not supported: fill modifiers'],
  ])('%s → %s', (query, message) => {
    expect(failure(query)).toMatchObject({ kind: 'unsupported', message });
  });
});

describe('typeOf', () => {
  it.each([
    ['1', 'scalar'],
    ['"s"', 'string'],
    ['x', 'vector'],
    ['x[5m]', 'matrix'],
    ['rate(x[5m])[30m:]', 'matrix'],
    ['-(1 + 2)', 'scalar'],
    ['1 + x', 'vector'],
    ['scalar(x)', 'scalar'],
    ['time()', 'scalar'],
    ['sum(x)', 'vector'],
  ] as const)('%s is a %s', (query, type) => {
    expect(typeOf(parsePromql(query) as Expr)).toBe(type);
  });
});
