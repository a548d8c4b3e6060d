/** `/embed.js` and its parts in process: codings and their ETags, 304s, caching per file kind, CORS, the 404, 406 and 503 that say why, and a real build from the sources. */
import { brotliCompressSync, brotliDecompressSync, gunzipSync, gzipSync } from 'node:zlib';
import { afterEach, describe, expect, it } from 'vitest';
import {
  ALLOWED_ORIGIN,
  createKpiAppFixture,
  type KpiAppFixture,
} from '#test-support/kpi-app-fixture.js';
import { createEmbedRoutes } from './embed.js';
import { EmbedBundleMissing, embedBundle } from './embed-bundle.js';
import { embedFile } from './embed-file.js';

const encode = (text: string) => new TextEncoder().encode(text);
const CODE = encode(`export const hello = ${JSON.stringify('x'.repeat(2000))};\n`);
const PART = encode('import "../embed.js"; export const part = 1;\n');
const files = { 'embed.js': CODE, 'embed/latency-chart-Ab12_cd.js': PART };

/** The body as it was before its Content-Encoding. */
async function decoded(res: Response): Promise<Uint8Array> {
  const body = new Uint8Array(await res.arrayBuffer());
  const coding = res.headers.get('content-encoding');
  if (coding === 'br') return new Uint8Array(brotliDecompressSync(body));
  if (coding === 'gzip') return new Uint8Array(gunzipSync(body));
  return body;
}

describe('GET /embed.js and its parts', () => {
  const app = createEmbedRoutes({ bundle: async () => embedBundle(files) });

  it('serves the entry with a five-minute public cache and open CORS, varying by coding', async () => {
    const res = await app.request('/embed.js', { headers: { origin: 'https://a.example.gov' } });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('text/javascript; charset=utf-8');
    expect(res.headers.get('cache-control')).toBe('public, max-age=300');
    expect(res.headers.get('access-control-allow-origin')).toBe('*');
    expect(res.headers.get('vary')).toBe('Accept-Encoding');
    expect(res.headers.get('etag')).toMatch(/^"[\w-]{27}"$/);
    expect(res.headers.get('content-encoding')).toBeNull();
    expect(await decoded(res)).toEqual(CODE);
  });

  it('serves a part by its hashed name, cached for good', async () => {
    const res = await app.request('/embed/latency-chart-Ab12_cd.js', {
      headers: { 'accept-encoding': 'gzip' },
    });
    expect(res.status).toBe(200);
    expect(res.headers.get('cache-control')).toBe('public, max-age=31536000, immutable');
    expect(res.headers.get('content-encoding')).toBe('gzip');
    expect(await decoded(res)).toEqual(PART);
  });

  it('gives each coding its own strong ETag, and a 304 only for the coding it names', async () => {
    const tags = new Map<string, string>();
    for (const coding of ['br', 'gzip', 'identity']) {
      const res = await app.request('/embed.js', { headers: { 'accept-encoding': coding } });
      tags.set(coding, res.headers.get('etag')!);
    }
    expect(new Set(tags.values()).size).toBe(3);
    for (const [coding, etag] of tags) {
      for (const header of [etag, `"old", W/${etag}`, '*']) {
        const res = await app.request('/embed.js', {
          headers: { 'accept-encoding': coding, 'if-none-match': header },
        });
        expect(res.status, `${coding} ${header}`).toBe(304);
        expect(res.headers.get('etag')).toBe(etag);
        expect(res.headers.get('vary')).toBe('Accept-Encoding');
        expect(await res.text()).toBe('');
      }
    }
    // The gzip copy's tag does not validate the brotli copy.
    const other = await app.request('/embed.js', {
      headers: { 'accept-encoding': 'br', 'if-none-match': tags.get('gzip')! },
    });
    expect(other.status).toBe(200);
  });

  it('answers 404 for a file the bundle lacks or a path that leaves it, saying so', async () => {
    for (const path of ['/embed/nope.js', '/embed/..%2Fpackage.json', '/embed/a.js.br']) {
      const res = await app.request(path);
      expect(res.status, path).toBe(404);
      expect(res.headers.get('content-type')).toBe('application/problem+json');
    }
    expect((await (await app.request('/embed/nope.js')).json()).detail).toBe(
      'the components bundle has no embed/nope.js',
    );
  });

  it('answers 406 when the request rules out every coding', async () => {
    const res = await app.request('/embed.js', { headers: { 'accept-encoding': 'br;q=0, *;q=0' } });
    expect(res.status).toBe(406);
    expect((await res.json()).detail).toContain('Accept-Encoding rules out');
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

describe('embedFile', () => {
  it("takes the build's .br and .gz when they hold the file, and compresses anew when they are stale", async () => {
    const br = brotliCompressSync(CODE);
    const gz = gzipSync(CODE);
    const fresh = await embedFile(CODE, { br, gzip: gz });
    expect(fresh.br.body).toEqual(new Uint8Array(br));
    expect(fresh.gzip.body).toEqual(new Uint8Array(gz));
    const stale = await embedFile(CODE, { br: brotliCompressSync(PART), gzip: encode('not gzip') });
    expect(brotliDecompressSync(stale.br.body)).toEqual(Buffer.from(CODE));
    expect(gunzipSync(stale.gzip.body)).toEqual(Buffer.from(CODE));
  });

  it('gives the same ETag for the same bytes, another for others', async () => {
    const [a, b] = await Promise.all([embedFile(CODE), embedFile(new Uint8Array(CODE))]);
    expect(a.identity.etag).toBe(b.identity.etag);
    expect((await embedFile(PART)).identity.etag).not.toBe(a.identity.etag);
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
    // The chart is a part of its own, imported from beside the entry.
    const part = /import\(`\.\/(embed\/latency-chart-[\w-]+\.js)`\)/.exec(code)?.[1];
    expect(part).toBeDefined();
    const chart = await fixture.request(`/${part}`, { headers: { origin: ALLOWED_ORIGIN } });
    expect(chart.status).toBe(200);
    expect(chart.headers.get('access-control-allow-origin')).toBe('*');
    expect(await chart.text()).toContain('latency-chart');
  }, 60_000);
});
