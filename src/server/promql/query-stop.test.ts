import { describe, expect, it } from 'vitest';
import { createHead } from '../store/memory-head.js';
import { POLL_EVERY_STEPS } from './eval/eval-context.js';
import { PromqlEngine, PromqlError } from './index.js';
import { queryStop, STOP_CANCELED, STOP_TIMEOUT } from './query-stop.js';

/** A few `up` series, one sample a minute for an hour: small to hold, costly under `[13h:1ms]`. */
function engine() {
  const head = createHead({ retentionMs: Number.POSITIVE_INFINITY });
  for (const job of ['a', 'b', 'c']) {
    const ref = head.getOrCreate({ __name__: 'up', job });
    for (let t = 0; t <= 3_600_000; t += 60_000) head.append(ref, t, 1);
  }
  return new PromqlEngine(head);
}

const EXPENSIVE = 'max_over_time(up[13h:1ms])';

function stoppedWith(run: () => unknown): PromqlError {
  try {
    run();
  } catch (err) {
    if (err instanceof PromqlError) return err;
    throw err;
  }
  throw new Error('the query was not stopped');
}

describe('queryStop', () => {
  it('times an expensive query out on a clock it reads as it goes, not on the event loop', () => {
    // Each read of the clock moves it 10 ms: the deadline passes after a handful of polls.
    let clock = 0;
    const stop = queryStop({ deadlineMs: 50, now: () => (clock += 10) });
    const err = stoppedWith(() => engine().instant(EXPENSIVE, 3_600_000, { stop }));
    expect([err.kind, err.message]).toEqual([
      'timeout',
      'query timed out in expression evaluation',
    ]);
  });

  it('ends a query whose shared flag another thread set, as canceled or timed out', () => {
    const cells = new Int32Array(new SharedArrayBuffer(8));
    Atomics.store(cells, 1, STOP_CANCELED);
    const canceled = stoppedWith(() =>
      engine().instant('up', 0, { stop: queryStop({ flag: { cells, index: 1 } }) }),
    );
    expect([canceled.kind, canceled.message]).toEqual([
      'canceled',
      'query was canceled in query preparation',
    ]);
    Atomics.store(cells, 0, STOP_TIMEOUT);
    const timedOut = stoppedWith(() =>
      engine().range('up', 0, 60_000, 1_000, { stop: queryStop({ flag: { cells, index: 0 } }) }),
    );
    expect(timedOut.kind).toBe('timeout');
  });

  it('reads an aborted signal: a TimeoutError reason is a timeout, anything else a cancel', () => {
    const timeout = queryStop({ signal: AbortSignal.abort(new DOMException('t', 'TimeoutError')) });
    expect(stoppedWith(() => timeout.check()).kind).toBe('timeout');
    const cancel = queryStop({ signal: AbortSignal.abort() });
    expect(stoppedWith(() => cancel.check()).kind).toBe('canceled');
  });

  it('polls as often in a few steps over huge windows as in many small ones', () => {
    // 60 outer steps, each summing a window of 60 000 inner samples: 3.6 M samples read in
    // so few steps that a poll every 2^16 steps would never come; a poll at least every
    // 2 × 2^16 samples read does.
    let polls = 0;
    const stop = { check: () => void polls++ };
    const r = engine().instant('sum_over_time(sum_over_time(vector(1)[1m:1ms])[1m:1s])', 0, {
      stop,
    });
    expect(r.resultType === 'vector' && r.result[0]?.point[1]).toBe(60 * 60_000);
    expect(polls).toBeGreaterThanOrEqual((60 * 60_000) / (2 * POLL_EVERY_STEPS));
  });

  it('lets a query with time to spare answer as before', () => {
    const stop = queryStop({ deadlineMs: Date.now() + 60_000 });
    const r = engine().instant('max_over_time(up[5m:1m])', 3_600_000, { stop });
    expect(r.resultType === 'vector' && r.result.length).toBe(3);
  });
});
