import { describe, expect, it } from 'vitest';
import { seriesCol } from '#test-support/series-col.js';
import type { VectorMatching } from '../ast.js';
import { PromqlError } from '../promql-error.js';
import type { SeriesCol } from './values.js';
import { vectorBinop } from './vector-matching.js';

function steps(c: SeriesCol): (number | undefined)[] {
  return Array.from(c.values, (v, i) => (c.present[i] ? v : undefined));
}

const on = (
  labels: string[],
  card: VectorMatching['card'] = 'one-to-one',
  include: string[] = [],
) => ({ card, on: true, labels, include }) satisfies VectorMatching;

describe('vectorBinop', () => {
  it('matches one-to-one on all labels but the name, and drops the name for arithmetic', () => {
    const out = vectorBinop(
      '/',
      [seriesCol({ __name__: 'a', job: 'x' }, [10, 20])],
      [
        seriesCol({ __name__: 'b', job: 'x' }, [2, 4]),
        seriesCol({ __name__: 'b', job: 'y' }, [1, 1]),
      ],
      undefined,
      false,
      2,
    );
    expect(out).toHaveLength(1);
    expect(out[0].labels).toEqual({ __name__: 'a', job: 'x' });
    expect(out[0].dropName).toBe(true);
    expect(steps(out[0])).toEqual([5, 5]);
  });

  it('keeps only the on() labels for one-to-one matching', () => {
    const out = vectorBinop(
      '+',
      [seriesCol({ __name__: 'a', job: 'x', i: '1' }, [1])],
      [seriesCol({ __name__: 'b', job: 'x', i: '2' }, [2])],
      on(['job']),
      false,
      1,
    );
    expect(out[0].labels).toEqual({ job: 'x' });
    expect(steps(out[0])).toEqual([3]);
  });

  it('filters with a comparison and keeps the left value and name', () => {
    const out = vectorBinop(
      '>',
      [seriesCol({ __name__: 'a', job: 'x' }, [1, 5, undefined])],
      [seriesCol({ __name__: 'b', job: 'x' }, [2, 2, 2])],
      undefined,
      false,
      3,
    );
    expect(steps(out[0])).toEqual([undefined, 5, undefined]);
    expect(out[0].dropName).toBe(false);
  });

  it('answers 0 or 1 with bool', () => {
    const out = vectorBinop(
      '>',
      [seriesCol({ job: 'x' }, [1, 5])],
      [seriesCol({ job: 'x' }, [2, 2])],
      undefined,
      true,
      2,
    );
    expect(steps(out[0])).toEqual([0, 1]);
  });

  it('group_left copies include labels from the one side', () => {
    const out = vectorBinop(
      '*',
      [
        seriesCol({ __name__: 'req', job: 'x', code: '200' }, [3]),
        seriesCol({ __name__: 'req', job: 'x', code: '500' }, [1]),
      ],
      [seriesCol({ __name__: 'info', job: 'x', team: 'blue' }, [1])],
      on(['job'], 'many-to-one', ['team']),
      false,
      1,
    );
    expect(out.map((c) => c.labels)).toEqual([
      { __name__: 'req', job: 'x', code: '200', team: 'blue' },
      { __name__: 'req', job: 'x', code: '500', team: 'blue' },
    ]);
  });

  it('group_right keeps the left value for comparisons and labels of the right', () => {
    const out = vectorBinop(
      '<',
      [seriesCol({ job: 'x' }, [1])],
      [seriesCol({ job: 'x', i: '1' }, [5]), seriesCol({ job: 'x', i: '2' }, [0])],
      on(['job'], 'one-to-many'),
      false,
      1,
    );
    expect(out.map((c) => [c.labels, steps(c)])).toEqual([[{ job: 'x', i: '1' }, [1]]]);
  });

  it('fails on duplicate series on the one side, naming the match group', () => {
    const run = () =>
      vectorBinop(
        '+',
        [seriesCol({ __name__: 'a', job: 'x' }, [1])],
        [
          seriesCol({ __name__: 'b', job: 'x', i: '1' }, [1]),
          seriesCol({ __name__: 'b', job: 'x', i: '2' }, [1]),
        ],
        on(['job']),
        false,
        1,
      );
    expect(run).toThrow(PromqlError);
    expect(run).toThrow(
      'found duplicate series for the match group {job="x"} on the right hand-side of the operation: [{__name__="b", i="1", job="x"}, {__name__="b", i="2", job="x"}];many-to-many matching not allowed: matching labels must be unique on one side',
    );
  });

  it('accepts duplicates on the one side when they never overlap in time', () => {
    const out = vectorBinop(
      '+',
      [seriesCol({ job: 'x' }, [1, 1])],
      [
        seriesCol({ job: 'x', i: '1' }, [1, undefined]),
        seriesCol({ job: 'x', i: '2' }, [undefined, 2]),
      ],
      on(['job']),
      false,
      2,
    );
    expect(steps(out[0])).toEqual([2, 3]);
  });

  it('fails when many left series match one right series without group_left', () => {
    const run = () =>
      vectorBinop(
        '+',
        [seriesCol({ job: 'x', i: '1' }, [1]), seriesCol({ job: 'x', i: '2' }, [1])],
        [seriesCol({ job: 'x' }, [1])],
        on(['job']),
        false,
        1,
      );
    expect(run).toThrow('many-to-one matching must be explicit (group_left/group_right)');
  });

  it('and, or, unless work per step', () => {
    const l = [seriesCol({ job: 'x' }, [1, 2, 3]), seriesCol({ job: 'y' }, [4, 5, 6])];
    const r = [seriesCol({ job: 'x' }, [9, undefined, 9]), seriesCol({ job: 'z' }, [7, 7, 7])];
    const and = vectorBinop('and', l, r, undefined, false, 3);
    expect(and.map((c) => [c.labels.job, steps(c)])).toEqual([['x', [1, undefined, 3]]]);
    const unless = vectorBinop('unless', l, r, undefined, false, 3);
    expect(unless.map((c) => [c.labels.job, steps(c)])).toEqual([
      ['x', [undefined, 2, undefined]],
      ['y', [4, 5, 6]],
    ]);
    const or = vectorBinop(
      'or',
      [seriesCol({ job: 'x' }, [1, undefined])],
      [seriesCol({ job: 'x', i: '1' }, [5, 5])],
      on(['job'], 'many-to-many'),
      false,
      2,
    );
    expect(or.map((c) => steps(c))).toEqual([
      [1, undefined],
      [undefined, 5],
    ]);
  });
});
