/** Tests for start(), end(), range(), step(), min_of() and max_of(). */
import { describe, expect, it } from 'vitest';
import { createHead } from '../store/memory-head.js';
import { PromqlEngine } from './index.js';

const engine = () =>
  new PromqlEngine(createHead({ retentionMs: Number.POSITIVE_INFINITY }), {
    lookbackDeltaMs: 300_000,
  });

/** A range query's scalar result as the values at each step. */
function steps(query: string, startMs: number, endMs: number, stepMs: number): number[] {
  const r = engine().range(query, startMs, endMs, stepMs);
  if (r.resultType !== 'matrix') throw new Error(`unexpected ${r.resultType}`);
  return r.result[0].points.map(([, v]) => v);
}

describe('query-bound and scalar functions', () => {
  it('reads the range query bounds and step in seconds', () => {
    expect(steps('step()', 100_000, 110_000, 5_000)).toEqual([5, 5, 5]);
    expect(steps('range()', 100_000, 130_000, 10_000)).toEqual([30, 30, 30, 30]);
    expect(steps('start() + end()', 10_000, 20_000, 5_000)).toEqual([30, 30, 30]);
  });

  it('gives an instant query zero step and range', () => {
    expect(engine().instant('step() + range() + start()', 100_000)).toEqual({
      resultType: 'scalar',
      result: [100_000, 100],
    });
  });

  it('min_of and max_of follow Go: NaN wins', () => {
    expect(engine().instant('min_of(3, 5) + max_of(-2, -5)', 0)).toEqual({
      resultType: 'scalar',
      result: [0, 1],
    });
    const nan = engine().instant('max_of(NaN, 3)', 0);
    expect(nan.resultType === 'scalar' && Number.isNaN(nan.result[1])).toBe(true);
  });

  it('keeps min_of as a metric name where no call follows', () => {
    expect(() => engine().instant('min_of + sum by (max_of) (x)', 0)).not.toThrow();
  });
});
