import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { serve } from '@hono/node-server';
import { Hono } from 'hono';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createQueryRoutes } from '../api/routes/query.js';
import { PromqlEngine } from '../promql/index.js';
import { createHead } from '../store/memory-head.js';
import { createEmbeddedSource } from './embedded-source.js';
import { createPrometheusSource } from './prometheus-source.js';
import { QueryError } from './query-error.js';
import type { QuerySource } from './query-source.js';

const T0 = 1_700_000_000_000;
let embedded: QuerySource;
let remote: QuerySource;
let api: ReturnType<typeof serve>;
let hanging: Server;
let hangingUrl: string;

function listen(server: { listen: Server['listen']; address: Server['address'] }): Promise<string> {
  return new Promise((resolve) => {
    server.listen(0, '127.0.0.1', () =>
      resolve(`http://127.0.0.1:${(server.address() as AddressInfo).port}`),
    );
  });
}

beforeAll(async () => {
  const head = createHead({ retentionMs: Number.POSITIVE_INFINITY });
  for (const job of ['api', 'web']) {
    const ref = head.getOrCreate({ __name__: 'http_requests_total', job });
    for (let i = 0; i <= 40; i++) head.append(ref, T0 + i * 15_000, i * (job === 'api' ? 15 : 45));
  }
  embedded = createEmbeddedSource(new PromqlEngine(head, {}));
  const app = new Hono().route('/api/v1', createQueryRoutes({ source: embedded }));
  const url = await new Promise<string>((resolve) => {
    api = serve({ fetch: app.fetch, port: 0, hostname: '127.0.0.1' }, (info) =>
      resolve(`http://127.0.0.1:${info.port}`),
    );
  });
  remote = createPrometheusSource({ url: `${url}/`, timeoutMs: 10_000 });
  // A server that takes requests and never answers, for the timeout path.
  hanging = createServer(() => {});
  hangingUrl = await listen(hanging);
});

afterAll(async () => {
  await new Promise<void>((r) => api.close(() => r()));
  hanging.closeAllConnections();
  await new Promise<void>((r) => hanging.close(() => r()));
});

describe('createPrometheusSource, against our own query API on 127.0.0.1', () => {
  it('maps vectors, matrices, scalars and strings back to the same QueryResult', async () => {
    const cases: Array<(s: QuerySource) => Promise<unknown>> = [
      (s) => s.instant('rate(http_requests_total[1m])', T0 + 307_000),
      (s) => s.instant('http_requests_total', new Date(T0 + 300_000)),
      (s) =>
        s.range('sum by (job) (rate(http_requests_total[1m]))', T0 + 67_000, T0 + 547_000, 60_000),
      (s) => s.instant('1/0', T0),
      (s) => s.instant('-1/0', T0),
      (s) => s.instant('1e-7', T0),
      (s) => s.instant('"text"', T0),
    ];
    for (const run of cases) expect(await run(remote)).toEqual(await run(embedded));
    // NaN does not survive toEqual's view of JSON, so check it apart.
    const nan = await remote.instant('0/0', T0);
    expect(nan.resultType === 'scalar' && Number.isNaN(nan.result[1])).toBe(true);
  });

  it('throws QueryError with the kind the server named', async () => {
    const err = await remote.instant('sum(', T0).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(QueryError);
    expect((err as QueryError).kind).toBe('bad_data');
    const range = await remote.range('up', T0, T0 - 1, 1000).catch((e: unknown) => e);
    expect((range as QueryError).kind).toBe('bad_data');
  });

  it('reports an unreachable server as unavailable', async () => {
    const port = (hanging.address() as AddressInfo).port;
    // A port on 127.0.0.1 nobody listens on: bind one, note it, close it.
    const closed = createServer();
    const url = await listen(closed);
    await new Promise<void>((r) => closed.close(() => r()));
    const err = await createPrometheusSource({ url })
      .instant('up', T0)
      .catch((e: unknown) => e);
    expect((err as QueryError).kind).toBe('unavailable');
    expect(port).toBeGreaterThan(0);
  });

  it('times out, and tells a caller abort apart', async () => {
    const slow = createPrometheusSource({ url: hangingUrl, timeoutMs: 200 });
    const err = await slow.instant('up', T0).catch((e: unknown) => e);
    expect((err as QueryError).kind).toBe('timeout');
    const ctrl = new AbortController();
    const pending = createPrometheusSource({ url: hangingUrl, timeoutMs: 10_000 })
      .instant('up', T0, { signal: ctrl.signal })
      .catch((e: unknown) => e);
    setTimeout(() => ctrl.abort(), 50);
    expect(((await pending) as QueryError).kind).toBe('canceled');
  });
});
