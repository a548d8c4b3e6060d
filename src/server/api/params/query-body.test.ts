/** The query routes' body guard: a 200 MB form is cut off at the limit, a bad form is the client's 400. */
import { Hono } from 'hono';
import { describe, expect, it } from 'vitest';
import { PromqlEngine } from '../../promql/index.js';
import { createEmbeddedSource } from '../../source/embedded-source.js';
import { createHead } from '../../store/memory-head.js';
import { problemErrorHandler } from '../problem.js';
import { createQueryRoutes } from '../routes/query.js';
import { QUERY_BODY_MAX_BYTES, queryBody } from './query-body.js';

const CHUNK = 64 * 1024;

function queryApp(maxBytes?: number) {
  const source = createEmbeddedSource(new PromqlEngine(createHead()));
  const v1 = new Hono();
  v1.use('/query', queryBody({ maxBytes })).use('/query_range', queryBody({ maxBytes }));
  v1.route('/', createQueryRoutes({ source, now: () => 1_700_000_000_000 }));
  const app = new Hono().route('/api/v1', v1);
  const reported: unknown[] = [];
  app.onError(problemErrorHandler({ report: (_m, err) => reported.push(err) }));
  return { app, reported };
}

/** A form body of `total` bytes made on demand, counting what the server pulled. */
function hugeForm(total: number) {
  let pulled = 0;
  const chunk = new TextEncoder().encode('a'.repeat(CHUNK));
  const body = new ReadableStream<Uint8Array>({
    start(controller) {
      controller.enqueue(new TextEncoder().encode('query=up&pad='));
    },
    pull(controller) {
      if (pulled >= total) return controller.close();
      pulled += chunk.length;
      controller.enqueue(chunk);
    },
  });
  return { body, pulled: () => pulled };
}

describe('POST /api/v1/query body limit', () => {
  it('answers a 200 MB form with 413 and a problem body after reading about 1 MiB', async () => {
    const { app } = queryApp();
    const form = hugeForm(200 * 1024 * 1024);
    const res = await app.request('/api/v1/query', {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: form.body,
      duplex: 'half',
    } as RequestInit);
    expect(res.status).toBe(413);
    expect(res.headers.get('content-type')).toBe('application/problem+json');
    expect(await res.json()).toEqual({
      type: 'about:blank',
      title: 'Content Too Large',
      status: 413,
      detail: 'the request body is larger than 1 MiB, the most a query route reads',
      limit: QUERY_BODY_MAX_BYTES,
    });
    // The stream may run a couple of chunks ahead of the reader, never much further.
    expect(form.pulled()).toBeGreaterThan(QUERY_BODY_MAX_BYTES - CHUNK);
    expect(form.pulled()).toBeLessThanOrEqual(QUERY_BODY_MAX_BYTES + 3 * CHUNK);
  });

  it('refuses a declared Content-Length over the limit without reading the body', async () => {
    const { app } = queryApp(1000);
    const res = await app.request('/api/v1/query_range', {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', 'content-length': '1001' },
      body: `query=up&pad=${'a'.repeat(988)}`,
    });
    expect(res.status).toBe(413);
  });

  it('still answers a form under the limit', async () => {
    const { app } = queryApp();
    const res = await app.request('/api/v1/query', {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: `query=${encodeURIComponent('vector(2)')}&time=1700000000&pad=${'a'.repeat(500_000)}`,
    });
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ data: { resultType: 'vector' } });
  });
});

describe('POST /api/v1/query with a form that cannot be read', () => {
  it.each([
    ['multipart/form-data', 'query=up'],
    ['multipart/form-data; boundary=xyz', 'not a multipart body at all'],
  ])('answers %s with a 400 problem, not a 500', async (type, body) => {
    const { app, reported } = queryApp();
    const res = await app.request('/api/v1/query', {
      method: 'POST',
      headers: { 'content-type': type },
      body,
    });
    expect(res.status).toBe(400);
    expect(res.headers.get('content-type')).toBe('application/problem+json');
    const problem = (await res.json()) as { status: number; detail: string };
    expect(problem.status).toBe(400);
    expect(problem.detail).toMatch(/^the form body cannot be read: /);
    expect(reported).toEqual([]);
  });
});
