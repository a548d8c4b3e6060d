/** `/embed.js`: validators, caching and CORS, the 503 that says what to do, and a real build from the sources. */
import { afterEach, describe, expect, it } from 'vitest';
import {
  ALLOWED_ORIGIN,
  createKpiAppFixture,
  type KpiAppFixture,
} from '#test-support/kpi-app-fixture.js';
import { createEmbedRoutes } from './embed.js';
import { EmbedBundleMissing, embedBundle } from './embed-bundle.js';

const CODE = new TextEncoder().encode('export const hello = 1;\n');

describe('GET /embed.js', () => {
  const app = createEmbedRoutes({ bundle: async () => embedBundle(CODE) });

  it('serves the script with a strong ETag, a five-minute public cache and open CORS', async () => {
    const res = await app.request('/embed.js', { headers: { origin: 'https://a.example.gov' } });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('text/javascript; charset=utf-8');
    expect(res.headers.get('cache-control')).toBe('public, max-age=300');
    expect(res.headers.get('access-control-allow-origin')).toBe('*');
    expect(res.headers.get('etag')).toMatch(/^"[\w-]{27}"$/);
    expect(new Uint8Array(await res.arrayBuffer())).toEqual(CODE);
  });

  it('answers 304 with no body when If-None-Match names the current ETag', async () => {
    const etag = (await app.request('/embed.js')).headers.get('etag')!;
    for (const header of [etag, `"old", W/${etag}`, '*']) {
      const res = await app.request('/embed.js', { headers: { 'if-none-match': header } });
      expect(res.status, header).toBe(304);
      expect(res.headers.get('etag')).toBe(etag);
      expect(await res.text()).toBe('');
    }
    const stale = await app.request('/embed.js', { headers: { 'if-none-match': '"old"' } });
    expect(stale.status).toBe(200);
  });

  it('gives the same ETag for the same bytes, another for others', () => {
    expect(embedBundle(CODE).etag).toBe(embedBundle(new Uint8Array(CODE)).etag);
    expect(embedBundle(new Uint8Array([1])).etag).not.toBe(embedBundle(CODE).etag);
  });

  it('answers 503 with a problem body that says to build when there is no bundle', async () => {
    const missing = createEmbedRoutes({
      bundle: async () => {
        throw new EmbedBundleMissing('no dist/embed.js');
      },
    });
    const res = await missing.request('/embed.js');
    expect(res.status).toBe(503);
    expect(res.headers.get('content-type')).toBe('application/problem+json');
    expect((await res.json()).detail).toContain('npm run build');
  });
});

describe('/embed.js on the KPI server', () => {
  let fixture: KpiAppFixture | undefined;
  afterEach(async () => {
    await fixture?.close();
  });

  it('is public even when reading needs a token, and is the real components bundle', async () => {
    fixture = createKpiAppFixture({ read: 'token' });
    expect((await fixture.request('/api/v1/kpis')).status).toBe(401);
    // From a clone with or without a build: dist/embed.js, or vite builds it on this request.
    const res = await fixture.request('/embed.js', {
      headers: { origin: 'https://not-listed.example.com' },
    });
    expect(res.status).toBe(200);
    expect(res.headers.get('access-control-allow-origin')).toBe('*');
    const listed = await fixture.request('/embed.js', { headers: { origin: ALLOWED_ORIGIN } });
    expect(listed.headers.get('access-control-allow-origin')).toBe('*');
    const code = await res.text();
    expect(code).toContain('kpi-light');
    expect(code).toContain('latency-chart');
  }, 60_000);
});
