/** With `source: prometheus`, the prefix passes reads through to the source: its headers, never ours; read routes only; bounded. */
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Hono } from 'hono';
import { afterEach, describe, expect, it } from 'vitest';
import { serveLocal } from '#test-support/local-server.js';
import { freePort, hasPrometheus, startPrometheus } from '#test-support/prometheus-server.js';
import { waitFor } from '#test-support/wait-for.js';
import { createSourceProxy } from '../../src/server/api/prometheus/source-proxy.js';
import { startServer } from '../../src/server/compose/start-server.js';

const READ = 'proxy-test-read-token-0123456789';
const UPSTREAM_SECRET = 'upstream-secret-0123456789';

const cleanups: (() => unknown)[] = [];
afterEach(async () => {
  for (const f of cleanups.splice(0).reverse()) await f();
});

/** Seen by the stand-in source: each request's method, path, search, headers and body. */
interface Seen {
  method: string;
  path: string;
  search: string;
  headers: Record<string, string>;
  body: string;
}

/** A stand-in for a Prometheus source that records what reaches it; `/redirect` redirects. */
async function standIn() {
  const seen: Seen[] = [];
  const app = new Hono()
    .all('*', async (c, next) => {
      const url = new URL(c.req.url);
      seen.push({
        method: c.req.method,
        path: url.pathname,
        search: url.search,
        headers: Object.fromEntries(c.req.raw.headers),
        body: c.req.method === 'POST' ? await c.req.text() : '',
      });
      return next();
    })
    .get('/base/api/v1/status/buildinfo', (c) => c.redirect('http://127.0.0.1:9/elsewhere'))
    .all('/base/api/v1/query', (c) =>
      c.json({ status: 'success', data: { resultType: 'vector', result: [] } }),
    )
    .all('/base/*', (c) => c.json({ status: 'success', data: ['from-the-source'] }));
  const server = await serveLocal(app);
  cleanups.push(() => server.close());
  return { url: server.url, seen };
}

async function replica(
  sourceUrl: string,
  read: 'public' | 'token' = 'token',
  publicQueries: 'kpis-only' | 'any' = 'kpis-only',
) {
  const dir = mkdtempSync(join(tmpdir(), 'kpi-proxy-'));
  cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
  const configPath = join(dir, 'kpi-lights.yaml');
  writeFileSync(
    configPath,
    `source:
  prometheus:
    url: ${sourceUrl}
    headers: { X-Scope-OrgID: irs, Authorization: Bearer ${UPSTREAM_SECRET} }
    public_queries: ${publicQueries}
kpis:
  - id: depth
    title: Depth
    query: sum(up)
    unit: count
    thresholds: { warning: 5, critical: 10 }
auth:
  read: ${read}
  tokens: [{ name: grafana, token: ${READ}, scopes: [read] }]
`,
  );
  const server = await startServer({
    configPath,
    port: 0,
    dataDir: join(dir, 'data'),
    processMetrics: false,
    report: () => {},
  });
  cleanups.push(() => server.close());
  const get = (path: string, init: RequestInit = {}) =>
    fetch(`${server.url}${path}`, {
      ...init,
      headers: { authorization: `Bearer ${READ}`, ...init.headers },
    });
  return { server, get };
}

describe('the prefix over a Prometheus source', () => {
  it("passes reads on with the source's headers, never the caller's token", async () => {
    const source = await standIn();
    const { get } = await replica(`${source.url}/base`);
    const res = await get('/prometheus/api/v1/labels?match[]=up&start=1');
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ status: 'success', data: ['from-the-source'] });
    const labels = source.seen.find((s) => s.path === '/base/api/v1/labels');
    expect(labels?.search).toBe('?match[]=up&start=1');
    expect(labels?.headers['x-scope-orgid']).toBe('irs');
    expect(labels?.headers.authorization).toBe(`Bearer ${UPSTREAM_SECRET}`);
    expect(JSON.stringify(source.seen)).not.toContain(READ);

    const post = await get('/prometheus/api/v1/series', {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: 'match[]=up&match[]=queue_depth',
    });
    expect(post.status).toBe(200);
    const series = source.seen.find((s) => s.path === '/base/api/v1/series');
    expect(series?.body).toBe('match[]=up&match[]=queue_depth');
    expect(series?.headers['content-type']).toBe('application/x-www-form-urlencoded');
    expect((await get('/federate?match[]=up')).status).toBe(200);
    expect(source.seen.some((s) => s.path === '/base/federate')).toBe(true);
  });

  it('answers rules itself, passes on no admin route, and follows no redirect', async () => {
    const source = await standIn();
    const { get } = await replica(`${source.url}/base`);
    const rules = (await (await get('/prometheus/api/v1/rules')).json()) as {
      data: { groups: { rules: { name: string }[] }[] };
    };
    expect(rules.data.groups[0].rules.map((r) => r.name)).toEqual(['kpi_lights:depth']);
    const admin = await get('/prometheus/api/v1/admin/tsdb/delete_series?match[]=up', {
      method: 'POST',
    });
    expect(admin.status).toBe(404);
    expect(source.seen.some((s) => s.path.includes('admin') || s.path.endsWith('/rules'))).toBe(
      false,
    );
    const redirected = await get('/prometheus/api/v1/status/buildinfo');
    expect(redirected.status).toBe(503);
    expect(redirected.headers.get('location')).toBeNull();
    const body = (await redirected.json()) as { errorType: string; error: string };
    expect(body.errorType).toBe('unavailable');
    expect(body.error).toBe(
      `the prometheus source at ${source.url}: redirect from ${source.url} to another origin (http://127.0.0.1:9) refused: headers and body are never sent across origins`,
    );
  });

  it('keeps anonymous PromQL from the source unless public_queries allows it', async () => {
    const source = await standIn();
    const { server } = await replica(`${source.url}/base`, 'public');
    const anonymous = await fetch(`${server.url}/prometheus/api/v1/series?match[]=up`);
    expect(anonymous.status).toBe(401);
    expect(await anonymous.json()).toMatchObject({ status: 'error', errorType: 'unauthorized' });
    expect(source.seen.some((s) => s.path === '/base/api/v1/series')).toBe(false);
    // kpi-lights's own rules are public like every other read.
    expect((await fetch(`${server.url}/prometheus/api/v1/rules`)).status).toBe(200);
  });

  it('names a source that is down by scheme and host, nothing of its headers', async () => {
    const { get } = await replica('http://127.0.0.1:9/secret-path');
    const res = await get('/prometheus/api/v1/labels');
    expect(res.status).toBe(503);
    const text = await res.text();
    expect(JSON.parse(text)).toMatchObject({ status: 'error', errorType: 'unavailable' });
    expect(text).toContain('the prometheus source at http://127.0.0.1:9 is unreachable');
    expect(text).not.toContain('secret-path');
    expect(text).not.toContain(UPSTREAM_SECRET);
  });

  it('holds no more than its bound of an answer', async () => {
    const big = await serveLocal(new Hono().get('*', (c) => c.text('x'.repeat(64 * 1024))));
    cleanups.push(() => big.close());
    const proxy = createSourceProxy({
      source: {
        kind: 'prometheus',
        url: big.url,
        headers: {},
        timeoutMs: 5_000,
        publicQueries: 'kpis-only',
      },
      maxBodyBytes: 16 * 1024,
    });
    const app = new Hono().get('/x', (c) => proxy.forward(c, '/api/v1/labels'));
    app.onError((err, c) => c.json({ error: err.message }, 422));
    const res = await app.request('/x');
    expect(res.status).toBe(422);
    expect(await res.json()).toEqual({
      error: `the prometheus source at ${big.url}'s answer from /api/v1/labels is larger than the 16 KiB limit; read no further; narrow the request`,
    });
  });
});

const skip = !hasPrometheus();
if (skip) console.warn('skipping the replica-on-Prometheus promtool check: no prometheus on PATH');

/** Runs promtool without blocking: the replica it asks runs in this process. */
function promtool(args: readonly string[]): Promise<string> {
  return new Promise((resolve, reject) =>
    execFile('promtool', ['query', ...args], { timeout: 30_000 }, (err, out) =>
      err ? reject(err) : resolve(out),
    ),
  );
}

describe.skipIf(skip)('a replica on a real Prometheus', () => {
  it('answers promtool series, labels and instant queries as that Prometheus does', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'kpi-proxy-prom-'));
    cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
    // Prometheus scrapes itself, so it has series to tell.
    const port = await freePort();
    const prometheus = await startPrometheus(join(dir, 'data'), dir, {
      port,
      config: `global: { scrape_interval: 1s }
scrape_configs: [{ job_name: self, static_configs: [{ targets: ['127.0.0.1:${port}'] }] }]
`,
    });
    cleanups.push(() => prometheus.stop());
    // promtool sends no bearer token: this replica reads publicly, and lets anonymous readers
    // send their own PromQL to its Prometheus.
    const { server } = await replica(prometheus.url, 'public', 'any');
    await waitFor(
      async () => {
        const res = await fetch(`${prometheus.url}/api/v1/series?match[]=up`);
        return ((await res.json()) as { data: unknown[] }).data.length > 0;
      },
      { timeoutMs: 30_000, everyMs: 250 },
    );
    const at = String(Math.floor(Date.now() / 1000));
    const commands: [sub: string, flags: string[], rest: string[]][] = [
      ['series', ['--match=up', '--match=prometheus_build_info'], []],
      ['labels', [], ['job']],
      ['instant', [`--time=${at}`], ['up']],
    ];
    for (const [sub, flags, rest] of commands) {
      const ours = await promtool([sub, ...flags, `${server.url}/prometheus`, ...rest]);
      const theirs = await promtool([sub, ...flags, prometheus.url, ...rest]);
      expect(ours).not.toBe('');
      expect(ours).toBe(theirs);
    }
  });
});
