import { describe, expect, it } from 'vitest';
import { STALE_NAN } from '../model/model.js';
import { createHead } from '../store/memory-head.js';
import { PromqlEngine, PromqlError } from './index.js';

/** `up{job}` every 15 s for 10 minutes (value = minute), a stale marker at 5m for job b. */
function engine(maxSamples?: number) {
  const head = createHead({ retentionMs: Number.POSITIVE_INFINITY });
  const a = head.getOrCreate({ __name__: 'up', job: 'a' });
  const b = head.getOrCreate({ __name__: 'up', job: 'b' });
  for (let t = 0; t <= 600_000; t += 15_000) {
    head.append(a, t, Math.floor(t / 60_000));
    if (t < 300_000) head.append(b, t, 1);
    else if (t === 300_000) head.append(b, t, STALE_NAN);
  }
  return new PromqlEngine(head, { lookbackDeltaMs: 300_000, maxSamples });
}

describe('PromqlEngine', () => {
  it('answers instant vectors with the newest sample, none after a stale marker', () => {
    const e = engine();
    expect(e.instant('up', 290_000)).toEqual({
      resultType: 'vector',
      result: [
        { metric: { __name__: 'up', job: 'a' }, point: [290_000, 4] },
        { metric: { __name__: 'up', job: 'b' }, point: [290_000, 1] },
      ],
    });
    const after = e.instant('up', 310_000);
    expect(after.resultType === 'vector' && after.result.map((s) => s.metric.job)).toEqual(['a']);
  });

  it('evaluates range queries on the step grid, omitting empty steps', () => {
    const r = engine().range('sum by (job) (up)', 240_000, 360_000, 60_000);
    expect(r).toEqual({
      resultType: 'matrix',
      result: [
        {
          metric: { job: 'a' },
          points: [
            [240_000, 4],
            [300_000, 5],
            [360_000, 6],
          ],
        },
        { metric: { job: 'b' }, points: [[240_000, 1]] },
      ],
    });
  });

  it('returns scalars and strings', () => {
    expect(engine().instant('1 + 2 * 3', 0)).toEqual({ resultType: 'scalar', result: [0, 7] });
    expect(engine().instant('"hi"', 5)).toEqual({ resultType: 'string', result: [5, 'hi'] });
    expect(engine().range('time()', 0, 120_000, 60_000)).toEqual({
      resultType: 'matrix',
      result: [
        {
          metric: {},
          points: [
            [0, 0],
            [60_000, 60],
            [120_000, 120],
          ],
        },
      ],
    });
  });

  it('pins @ start() and end() to the query bounds', () => {
    const r = engine().range('up{job="a"} @ end()', 0, 120_000, 60_000);
    expect(r.resultType === 'matrix' && r.result[0].points.map((p) => p[1])).toEqual([2, 2, 2]);
  });

  it('aligns subquery steps to absolute multiples of the step', () => {
    const r = engine().instant('up{job="a"}[2m:1m]', 150_000);
    expect(r.resultType === 'matrix' && r.result[0].points.map((p) => p[0])).toEqual([
      60_000, 120_000,
    ]);
  });

  it('gives timestamp() the sample time of a selector', () => {
    const r = engine().instant('timestamp(up{job="a"})', 100_000);
    expect(r.resultType === 'vector' && r.result[0]).toEqual({
      metric: { job: 'a' },
      point: [100_000, 90],
    });
  });

  it('orders sort_desc and topk by value', () => {
    const r = engine().instant('sort_desc(up)', 200_000);
    expect(r.resultType === 'vector' && r.result.map((s) => s.point[1])).toEqual([3, 1]);
  });

  it('rejects range queries over range vectors, and too many samples', () => {
    expect(() => engine().range('up[5m]', 0, 60_000, 60_000)).toThrow(PromqlError);
    try {
      engine(10).range('up', 0, 600_000, 15_000);
      expect.unreachable();
    } catch (err) {
      expect((err as PromqlError).kind).toBe('limit');
    }
  });

  it('fails on series that share a label set once the name is dropped', () => {
    const head = createHead({ retentionMs: Number.POSITIVE_INFINITY });
    head.append(head.getOrCreate({ __name__: 'x', job: 'a' }), 0, 1);
    head.append(head.getOrCreate({ __name__: 'y', job: 'a' }), 0, 2);
    const e = new PromqlEngine(head);
    expect(() => e.instant('abs({job="a"})', 0)).toThrow(
      'vector cannot contain metrics with the same labelset',
    );
    expect(() => e.instant('last_over_time({job="a"}[1m])', 0)).not.toThrow();
  });

  it('refuses unsupported functions as unsupported', () => {
    try {
      engine().instant('histogram_count(up)', 0);
      expect.unreachable();
    } catch (err) {
      expect((err as PromqlError).kind).toBe('unsupported');
    }
  });
});
