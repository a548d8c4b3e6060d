import { Hono } from 'hono';
import { beforeAll, describe, expect, it } from 'vitest';
import { PromqlEngine } from '../../promql/index.js';
import { createEmbeddedSource } from '../../source/embedded-source.js';
import { createHead } from '../../store/memory-head.js';
import { createQueryRoutes } from './query.js';

const T0 = 1_700_000_000_000;
let app: Hono;

beforeAll(() => {
  const head = createHead({ retentionMs: Number.POSITIVE_INFINITY });
  for (const [job, perScrape] of [
    ['api', 15],
    ['web', 30],
  ] as const) {
    const ref = head.getOrCreate({ __name__: 'http_requests_total', job });
    for (let i = 0; i <= 40; i++) head.append(ref, T0 + i * 15_000, i * perScrape);
  }
  const dup = head.getOrCreate({ __name__: 'dup', job: 'api', x: '1' });
  head.append(dup, T0, 1);
  head.append(head.getOrCreate({ __name__: 'dup', job: 'api', x: '2' }), T0, 1);
  const one = head.getOrCreate({ __name__: 'one', job: 'api' });
  head.append(one, T0, 1);
  // A second sample inside the 5 m lookback of "now" (T0 + 5m excludes T0 itself).
  head.append(one, T0 + 120_000, 1);
  const source = createEmbeddedSource(new PromqlEngine(head, {}));
  app = new Hono().route('/api/v1', createQueryRoutes({ source, now: () => T0 + 300_000 }));
});

async function get(path: string) {
  const res = await app.request(path);
  return { status: res.status, body: (await res.json()) as Record<string, unknown> };
}

const at = (s: number) => String((T0 + s * 1000) / 1000);

describe('GET /api/v1/query', () => {
  it('answers a vector in Prometheus JSON', async () => {
    const r = await get(
      `/api/v1/query?query=${encodeURIComponent('rate(http_requests_total[1m])')}&time=${at(307)}`,
    );
    expect(r.status).toBe(200);
    expect(r.body).toEqual({
      status: 'success',
      data: {
        resultType: 'vector',
        result: [
          // Prometheus's own float steps (checked with promtool): 45 × (60 / 45) / 60.
          { metric: { job: 'api' }, value: [(T0 + 307_000) / 1000, '0.9999999999999999'] },
          { metric: { job: 'web' }, value: [(T0 + 307_000) / 1000, '1.9999999999999998'] },
        ],
      },
    });
  });

  it('uses now without a time, and reads RFC 3339', async () => {
    const r = await get('/api/v1/query?query=scalar(one)');
    expect(r.body.data).toEqual({ resultType: 'scalar', result: [(T0 + 300_000) / 1000, '1'] });
    const iso = new Date(T0 + 60_000).toISOString();
    const r2 = await get(`/api/v1/query?query=one&time=${iso}`);
    expect((r2.body.data as { result: unknown[] }).result).toHaveLength(1);
  });

  it('formats special floats and strings as Prometheus', async () => {
    const q = (e: string) => get(`/api/v1/query?query=${encodeURIComponent(e)}&time=${at(0)}`);
    expect((await q('1/0')).body.data).toEqual({
      resultType: 'scalar',
      result: [T0 / 1000, '+Inf'],
    });
    expect((await q('-1/0')).body.data).toEqual({
      resultType: 'scalar',
      result: [T0 / 1000, '-Inf'],
    });
    expect((await q('0/0')).body.data).toEqual({
      resultType: 'scalar',
      result: [T0 / 1000, 'NaN'],
    });
    expect((await q('1e-7')).body.data).toEqual({
      resultType: 'scalar',
      result: [T0 / 1000, '1e-07'],
    });
    expect((await q('"hi"')).body.data).toEqual({
      resultType: 'string',
      result: [T0 / 1000, 'hi'],
    });
  });

  it('accepts a POSTed form', async () => {
    const res = await app.request('/api/v1/query', {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ query: 'sum(http_requests_total)', time: at(15) }).toString(),
    });
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({
      data: { result: [{ metric: {}, value: [(T0 + 15_000) / 1000, '45'] }] },
    });
  });

  it('answers bad queries and parameters with 400 bad_data', async () => {
    const bad = await get(`/api/v1/query?query=${encodeURIComponent('sum(')}`);
    expect(bad.status).toBe(400);
    expect(bad.body).toMatchObject({ status: 'error', errorType: 'bad_data' });
    expect(bad.body.error).toMatch(/^invalid parameter "query": /);
    const time = await get('/api/v1/query?query=one&time=soon');
    expect(time.status).toBe(400);
    expect(time.body.error).toBe(
      'invalid parameter "time": cannot parse "soon" to a valid timestamp',
    );
    const timeout = await get('/api/v1/query?query=one&timeout=later');
    expect(timeout.body.error).toBe(
      'invalid parameter "timeout": cannot parse "later" to a valid duration',
    );
  });

  it('answers execution errors with 422', async () => {
    const r = await get(
      `/api/v1/query?query=${encodeURIComponent('dup + on(job) one')}&time=${at(0)}`,
    );
    expect(r.status).toBe(422);
    expect(r.body).toMatchObject({ status: 'error', errorType: 'execution' });
  });
});

describe('/api/v1/query_range', () => {
  it('answers a matrix, with step as a duration or float seconds', async () => {
    for (const step of ['1m', '60']) {
      const r = await get(
        `/api/v1/query_range?query=${encodeURIComponent('sum(rate(http_requests_total[1m]))')}&start=${at(127)}&end=${at(247)}&step=${step}`,
      );
      expect(r.status).toBe(200);
      expect(r.body.data).toEqual({
        resultType: 'matrix',
        result: [
          {
            metric: {},
            values: [
              [(T0 + 127_000) / 1000, '2.9999999999999996'],
              [(T0 + 187_000) / 1000, '2.9999999999999996'],
              [(T0 + 247_000) / 1000, '2.9999999999999996'],
            ],
          },
        ],
      });
    }
  });

  it('checks start, end and step as Prometheus does', async () => {
    const q = (p: string) => get(`/api/v1/query_range?query=one&${p}`);
    expect((await q(`start=${at(10)}&end=${at(0)}&step=1`)).body.error).toBe(
      'end timestamp must not be before start time',
    );
    expect((await q(`start=${at(0)}&end=${at(10)}&step=0`)).body.error).toBe(
      'zero or negative query resolution step widths are not accepted. Try a positive integer',
    );
    expect((await q(`end=${at(10)}&step=1`)).body.error).toBe(
      'invalid parameter "start": cannot parse "" to a valid timestamp',
    );
    const tooMany = await q(`start=${at(0)}&end=${at(11_001)}&step=1`);
    expect(tooMany.status).toBe(400);
    expect(tooMany.body).toEqual({
      status: 'error',
      errorType: 'bad_data',
      error:
        'exceeded maximum resolution of 11,000 points per timeseries. Try decreasing the query resolution (?step=XX)',
    });
    expect((await q(`start=${at(0)}&end=${at(11_000)}&step=1`)).status).toBe(200);
  });
});

describe('createQueryRoutes defaults', () => {
  it('keeps its clock when the caller passes now: undefined', async () => {
    const head = createHead({ retentionMs: Number.POSITIVE_INFINITY });
    const source = createEmbeddedSource(new PromqlEngine(head, {}));
    const routes = new Hono().route('/api/v1', createQueryRoutes({ source, now: undefined }));
    const res = await routes.request('/api/v1/query?query=1%2B1');
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ data: { resultType: 'scalar' } });
  });
});
