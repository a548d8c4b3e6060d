import { Hono } from 'hono';
import { describe, expect, it } from 'vitest';
import { cpuTime } from '#test-support/cpu-time.js';
import { PromqlEngine } from '../../promql/index.js';
import { createEmbeddedSource } from '../../source/embedded-source.js';
import { createHead } from '../../store/memory-head.js';
import { createQueryRoutes } from './query.js';

const T = 3_600_000;

function app(maxSamples?: number) {
  const head = createHead({ retentionMs: Number.POSITIVE_INFINITY });
  for (const job of ['a', 'b', 'c']) {
    const ref = head.getOrCreate({ __name__: 'up', job });
    for (let t = 0; t <= T; t += 60_000) head.append(ref, t, 1);
  }
  const source = createEmbeddedSource(new PromqlEngine(head, { maxSamples }));
  return new Hono().route('/api/v1', createQueryRoutes({ source, now: () => T }));
}

describe('query limits on the query API', () => {
  it('answers a query past its timeout with 503 and Prometheus timeout error, in process too', async () => {
    const { value: res, ms } = await cpuTime(() =>
      app().request(
        `/api/v1/query?query=${encodeURIComponent('max_over_time(up[13h:1ms])')}&timeout=100ms`,
      ),
    );
    expect(res.status).toBe(503);
    expect(await res.json()).toEqual({
      status: 'error',
      errorType: 'timeout',
      error: 'query timed out in expression evaluation',
    });
    // The deadline is polled about every millisecond of work, so the work stops soon after
    // 100 ms; far below the ~4 s of CPU the query took before it could be stopped. CPU time,
    // since a loaded machine may leave this process off the cores for seconds meanwhile.
    expect(ms).toBeLessThan(1_000);
  });

  it('answers a query over the sample limit with 422 and Prometheus text', async () => {
    const res = await app(10).request(`/api/v1/query?query=${encodeURIComponent('up[1h]')}`);
    expect(res.status).toBe(422);
    expect(await res.json()).toEqual({
      status: 'error',
      errorType: 'execution',
      error: 'query processing would load too many samples into memory in query execution',
    });
  });
});
