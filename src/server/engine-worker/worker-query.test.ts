import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { ColumnarResult, QueryRequest } from './protocol.js';
import { QuerySlots } from './query-slots.js';
import { runWorkerQuery, type WorkerQueryDeps } from './worker-query.js';

const SCALAR: ColumnarResult = { resultType: 'scalar', t: 0, v: 1 };

/** A worker that answers each query `hopMs` after it was sent, and keeps what it was sent. */
function slowHop(hopMs: number) {
  const sent: QueryRequest[] = [];
  const deps: WorkerQueryDeps = {
    slots: new QuerySlots(1),
    available: () => undefined,
    send: (body, pending) => {
      sent.push(body);
      setTimeout(() => {
        pending.settle();
        pending.resolve(SCALAR);
      }, hopMs);
    },
  };
  return { deps, sent };
}

describe('runWorkerQuery and the time limit', () => {
  beforeEach(() =>
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'performance', 'Date'] }),
  );
  afterEach(() => vi.useRealTimers());

  it('hands the worker what is left of the time, and does not count the hop against it', async () => {
    const { deps, sent } = slowHop(20);
    const answer = runWorkerQuery(
      deps,
      { kind: 'instant', expr: '1', timeMs: 0 },
      { timeoutMs: 1 },
    );
    await vi.advanceTimersByTimeAsync(20);
    await expect(answer).resolves.toEqual({ resultType: 'scalar', result: [0, 1] });
    // Sent at once: the whole millisecond is the worker's to spend.
    expect(sent[0].budgetMs).toBe(1);
  });

  it('gives up on a worker that does not answer, a grace period past the deadline', async () => {
    const { deps } = slowHop(60_000);
    const answer = runWorkerQuery(
      deps,
      { kind: 'instant', expr: '1', timeMs: 0 },
      { timeoutMs: 100 },
    );
    const settled = vi.fn();
    answer.catch(settled);
    await vi.advanceTimersByTimeAsync(300);
    expect(settled).not.toHaveBeenCalled();
    await vi.advanceTimersByTimeAsync(100);
    await expect(answer).rejects.toMatchObject({
      kind: 'timeout',
      message: 'query timed out in expression evaluation',
    });
  });
});
