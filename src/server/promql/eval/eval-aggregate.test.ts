import { describe, expect, it } from 'vitest';
import { seriesCol } from '#test-support/series-col.js';
import type { Labels } from '../../model/model.js';
import type { AggregateExpr, AggregateOp } from '../ast.js';
import { PromqlError } from '../promql-error.js';
import { evalAggregate, formatValue } from './eval-aggregate.js';
import type { EvalValue, SeriesCol } from './values.js';

function agg(op: AggregateOp, grouping: string[] = [], without = false): AggregateExpr {
  const n = { kind: 'number', value: 0, start: 0, end: 0 } as const;
  return { kind: 'aggregate', op, expr: n, param: undefined, grouping, without, start: 0, end: 0 };
}

function run(e: AggregateExpr, input: SeriesCol[], param?: EvalValue) {
  const n = input[0]?.values.length ?? 1;
  return evalAggregate(e, { type: 'vector', series: input }, param, n).series.map((c) => [
    c.labels,
    Array.from(c.values, (v, i) => (c.present[i] ? v : undefined)),
  ]);
}

const scalar = (...v: number[]): EvalValue => ({ type: 'scalar', values: Float64Array.from(v) });

const input = () => [
  seriesCol({ __name__: 'x', job: 'a', i: '1' }, [1, 10]),
  seriesCol({ __name__: 'x', job: 'a', i: '2' }, [3, undefined]),
  seriesCol({ __name__: 'x', job: 'b', i: '1' }, [5, 20]),
];

describe('evalAggregate', () => {
  it('sums by a label, step by step', () => {
    expect(run(agg('sum', ['job']), input())).toEqual([
      [{ job: 'a' }, [4, 10]],
      [{ job: 'b' }, [5, 20]],
    ]);
  });

  it('without drops the listed labels and the name', () => {
    expect(run(agg('count', ['i'], true), input())).toEqual([
      [{ job: 'a' }, [2, 1]],
      [{ job: 'b' }, [1, 1]],
    ]);
  });

  it('avg, min, max, group, stddev', () => {
    expect(run(agg('avg'), input())).toEqual([[{}, [3, 15]]]);
    expect(run(agg('min'), input())).toEqual([[{}, [1, 10]]]);
    expect(run(agg('max'), input())).toEqual([[{}, [5, 20]]]);
    expect(run(agg('group'), input())).toEqual([[{}, [1, 1]]]);
    const [[, [sd]]] = run(agg('stddev'), input()) as [Labels, number[]][];
    expect(sd).toBeCloseTo(Math.sqrt(8 / 3), 12);
  });

  it('avg does not overflow on huge values', () => {
    const big = 9.988465674311579e307;
    expect(run(agg('avg'), [seriesCol({ i: '1' }, [big]), seriesCol({ i: '2' }, [big])])).toEqual([
      [{}, [big]],
    ]);
  });

  it('min and max prefer numbers to NaN', () => {
    const s = [seriesCol({ i: '1' }, [Number.NaN]), seriesCol({ i: '2' }, [2])];
    expect(run(agg('max'), s)).toEqual([[{}, [2]]]);
    expect(run(agg('min'), s)).toEqual([[{}, [2]]]);
  });

  it('topk keeps input labels and picks per step', () => {
    const e = { ...agg('topk'), param: undefined };
    expect(run(e, input(), scalar(1, 1))).toEqual([[{ __name__: 'x', job: 'b', i: '1' }, [5, 20]]]);
    expect(() => run(e, [], scalar(Number.NaN))).toThrow(PromqlError);
  });

  it('bottomk by group, NaN last', () => {
    const s = [seriesCol({ g: 'a', i: '1' }, [Number.NaN]), seriesCol({ g: 'a', i: '2' }, [7])];
    expect(run(agg('bottomk', ['g']), s, scalar(1))).toEqual([[{ g: 'a', i: '2' }, [7]]]);
  });

  it('quantile', () => {
    expect(run(agg('quantile'), input(), scalar(0.5, 0.5))).toEqual([[{}, [3, 15]]]);
  });

  it('count_values labels each distinct value', () => {
    const s = [
      seriesCol({ i: '1' }, [1]),
      seriesCol({ i: '2' }, [1]),
      seriesCol({ i: '3' }, [2.5]),
    ];
    expect(run(agg('count_values'), s, { type: 'string', value: 'v' })).toEqual([
      [{ v: '1' }, [2]],
      [{ v: '2.5' }, [1]],
    ]);
  });
});

describe('formatValue', () => {
  it('prints like Go without exponents', () => {
    expect(formatValue(1e21)).toBe('1000000000000000000000');
    expect(formatValue(1.5e-7)).toBe('0.00000015');
    expect(formatValue(-2)).toBe('-2');
    expect(formatValue(Number.POSITIVE_INFINITY)).toBe('+Inf');
  });
});
