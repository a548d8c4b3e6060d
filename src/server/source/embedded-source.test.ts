import { describe, expect, it } from 'vitest';
import { PromqlEngine } from '../promql/index.js';
import { createHead } from '../store/memory-head.js';
import { createEmbeddedSource } from './embedded-source.js';
import { QueryError } from './query-error.js';

function source() {
  const head = createHead({ retentionMs: Number.POSITIVE_INFINITY });
  const ref = head.getOrCreate({ __name__: 'up', job: 'api' });
  for (let i = 0; i < 10; i++) head.append(ref, i * 60_000, 1);
  return createEmbeddedSource(new PromqlEngine(head, {}));
}

describe('createEmbeddedSource', () => {
  it('answers instant and range queries from the engine, taking ms or Dates', async () => {
    const s = source();
    expect(await s.instant('up', 120_000)).toEqual({
      resultType: 'vector',
      result: [{ metric: { __name__: 'up', job: 'api' }, point: [120_000, 1] }],
    });
    const r = await s.range('sum(up)', new Date(0), new Date(120_000), 60_000);
    expect(r).toEqual({
      resultType: 'matrix',
      result: [
        {
          metric: {},
          points: [
            [0, 1],
            [60_000, 1],
            [120_000, 1],
          ],
        },
      ],
    });
  });

  it('turns engine errors into QueryErrors with a kind', async () => {
    const err = await source()
      .instant('sum(', 0)
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(QueryError);
    expect((err as QueryError).kind).toBe('bad_data');
    expect((err as QueryError).cause).toBeDefined();
  });

  it('does not start a query whose signal is already aborted', async () => {
    const ctrl = new AbortController();
    ctrl.abort();
    const err = await source()
      .instant('up', 0, { signal: ctrl.signal })
      .catch((e: unknown) => e);
    expect((err as QueryError).kind).toBe('canceled');
  });
});
