/** The query pool's watchdog: a worker stuck far past its query's budget is ended and restarted, and the pool answers again. */
import { Worker } from 'node:worker_threads';
import { afterEach, describe, expect, it } from 'vitest';
import { manualTimers } from '#test-support/manual-timers.js';
import { waitFor } from '#test-support/wait-for.js';
import type { HeadShare } from '../store/share/head-share.js';
import { QueryPool } from './query-pool.js';
import { QuerySlots } from './query-slots.js';

/**
 * A stand-in query worker: ready at once; answers every request, except one asking to hang,
 * which spins forever without looking at anything (what a query that never checks its stop
 * flag would do).
 */
const STAND_IN = `
const { parentPort } = require('node:worker_threads');
parentPort.postMessage({ type: 'ready' });
parentPort.on('message', (m) => {
  if (m.type !== 'request') return;
  if (m.body.hang) for (;;) {}
  parentPort.postMessage({ type: 'reply', id: m.id, ok: true, body: m.body.expr });
});
`;

/** What the pool needs of the head: a buffer to hand on, and pins to clear. */
const share = { buffer: new SharedArrayBuffer(8), unpin() {} } as unknown as HeadShare;

describe('QueryPool watchdog', () => {
  const pools: QueryPool[] = [];
  afterEach(async () => {
    for (const p of pools.splice(0)) await p.close();
  });

  it('ends a worker still busy past budget + grace, restarts it, and the next query is answered', async () => {
    const timers = manualTimers(0);
    const reports: string[] = [];
    const pool = new QueryPool({
      name: 'API query worker',
      size: 1,
      firstReader: 1,
      slots: new QuerySlots(4),
      nice: 0,
      attach: async () => {},
      restartDelayMs: { first: 100, max: 1_000 },
      report: (message) => reports.push(message),
      timers,
      stuckGraceMs: 5_000,
      spawn: () => new Worker(STAND_IN, { eval: true }),
    });
    pools.push(pool);
    pool.start(share);
    await pool.whenReady();
    expect(await pool.call('query', { expr: 'up', budgetMs: 1_000 } as never)).toBe('up');

    const stuck = pool.call('query', { expr: 'spin', hang: true, budgetMs: 1_000 } as never);
    const outcome = stuck.then(
      () => 'answered',
      (err: Error) => err.message,
    );
    // Not yet: the budget and most of the grace have passed.
    await timers.advance(5_999);
    expect(reports).toEqual([]);
    await timers.advance(1);
    expect(reports[0]).toBe(
      "API query worker 1 is still busy 5000 ms past its query's 1000 ms budget; ending it",
    );
    expect(await outcome).toBe('API query worker restarting');

    // The restart waits its backoff on the pool's clock, then the new worker answers.
    await waitFor(() => timers.pending > 0);
    await timers.advance(100);
    await pool.whenReady();
    expect(await pool.call('query', { expr: 'after', budgetMs: 1_000 } as never)).toBe('after');
    expect(pool.restarts).toBe(1);
  });

  it('leaves a worker alone that answers within its budget, and requests with no budget', async () => {
    const timers = manualTimers(0);
    const reports: string[] = [];
    const pool = new QueryPool({
      name: 'API query worker',
      size: 1,
      firstReader: 1,
      slots: new QuerySlots(4),
      nice: 0,
      attach: async () => {},
      restartDelayMs: { first: 100, max: 1_000 },
      report: (message) => reports.push(message),
      timers,
      stuckGraceMs: 5_000,
      spawn: () => new Worker(STAND_IN, { eval: true }),
    });
    pools.push(pool);
    pool.start(share);
    await pool.whenReady();
    expect(await pool.call('query', { expr: 'a', budgetMs: 10 } as never)).toBe('a');
    expect(await pool.call('series', { expr: 'b' } as never)).toBe('b');
    // The answered query's watchdog was cleared: nothing fires later.
    expect(timers.pending).toBe(0);
    await timers.advance(60_000);
    expect(reports).toEqual([]);
    expect(pool.restarts).toBe(0);
  });
});
