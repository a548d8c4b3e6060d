/** Tests of the request metrics middleware, calling the app in-process. */
import { Hono } from 'hono';
import { HTTPException } from 'hono/http-exception';
import { register as globalRegistry, Registry } from 'prom-client';
import { describe, expect, it, vi } from 'vitest';
import { createExporter, type Exporter, type ExporterOptions } from './index.js';

interface Series {
  labels: Record<string, string | number>;
  value: number;
  metricName?: string;
}

/** The values of one metric as prom-client reports them (histograms: one entry per bucket, sum, count). */
async function seriesOf(registry: Registry, name: string): Promise<Series[]> {
  const metric = registry.getSingleMetric(name);
  if (!metric) throw new Error(`no metric ${name}`);
  return (await metric.get()).values as Series[];
}

async function requestCount(
  registry: Registry,
  labels: Record<string, string>,
): Promise<number | undefined> {
  const all = await seriesOf(registry, 'http_requests_total');
  const match = all.filter((s) => Object.entries(labels).every(([k, v]) => s.labels[k] === v));
  if (match.length === 0) return undefined;
  return match.reduce((sum, s) => sum + s.value, 0);
}

function filingsApp(options?: ExporterOptions): { app: Hono; exporter: Exporter } {
  const exporter = createExporter(options);
  const app = new Hono();
  app.use(exporter.middleware);
  app.get('/metrics', exporter.handler);
  app.get('/filings/:id', (c) => c.json({ id: c.req.param('id') }));
  app.post('/filings', (c) => c.body(null, 201));
  app.get('/boom', () => {
    throw new Error('handler failed');
  });
  app.get('/forbidden', () => {
    throw new HTTPException(403, { message: 'no' });
  });
  app.get('/sleep', async (c) => {
    await new Promise((r) => setTimeout(r, 30));
    return c.text('slept');
  });
  return { app, exporter };
}

describe('route label', () => {
  it('is the matched pattern, not the raw path', async () => {
    const { app, exporter } = filingsApp();
    for (const id of ['1', '2', 'abc'])
      expect((await app.request(`/filings/${id}`)).status).toBe(200);
    expect(await requestCount(exporter.registry, { route: '/filings/:id', method: 'GET' })).toBe(3);
    const routes = (await seriesOf(exporter.registry, 'http_requests_total')).map(
      (s) => s.labels.route,
    );
    expect(routes.some((r) => String(r).startsWith('/filings/') && r !== '/filings/:id')).toBe(
      false,
    );
  });

  it('collapses every unmatched path into one value', async () => {
    const { app, exporter } = filingsApp();
    for (let i = 0; i < 50; i++) expect((await app.request(`/wp-admin/${i}.php`)).status).toBe(404);
    const all = await seriesOf(exporter.registry, 'http_requests_total');
    expect(all).toHaveLength(1);
    expect(all[0].labels).toMatchObject({ route: 'unmatched', method: 'GET', status: '404' });
    expect(all[0].value).toBe(50);
  });

  it('takes the unmatched value from the options', async () => {
    const { app, exporter } = filingsApp({ unmatchedRoute: '(none)' });
    await app.request('/nope');
    expect(await requestCount(exporter.registry, { route: '(none)' })).toBe(1);
  });

  it('keeps a 404 a handler returns on its own pattern', async () => {
    const exporter = createExporter();
    const app = new Hono();
    app.use(exporter.middleware);
    app.get('/filings/:id', (c) => c.notFound());
    await app.request('/filings/404');
    expect(await requestCount(exporter.registry, { route: '/filings/:id', status: '404' })).toBe(1);
  });

  it('is the pattern of a later middleware that answers by itself', async () => {
    const { app, exporter } = filingsApp();
    const guarded = new Hono();
    guarded.use('/admin/*', async (c) => c.text('no', 401));
    guarded.get('/admin/users/:id', (c) => c.text('secret'));
    app.route('/', guarded);
    await app.request('/admin/users/1');
    await app.request('/admin/anything/else');
    expect(await requestCount(exporter.registry, { route: '/admin/*', status: '401' })).toBe(2);
  });

  it('includes the base path of mounted sub-apps', async () => {
    const exporter = createExporter();
    const api = new Hono();
    api.get('/filings/:id', (c) => c.text('ok'));
    const app = new Hono();
    app.use(exporter.middleware);
    app.route('/api/v1', api);
    await app.request('/api/v1/filings/7');
    expect(await requestCount(exporter.registry, { route: '/api/v1/filings/:id' })).toBe(1);
  });

  it('works when mounted on a path with its own wildcard', async () => {
    const exporter = createExporter();
    const app = new Hono();
    app.use('/api/*', exporter.middleware);
    app.get('/api/filings/:id', (c) => c.text('ok'));
    await app.request('/api/filings/1');
    await app.request('/api/nothing-here');
    expect(await requestCount(exporter.registry, { route: '/api/filings/:id' })).toBe(1);
    expect(await requestCount(exporter.registry, { route: 'unmatched', status: '404' })).toBe(1);
  });
});

describe('status label', () => {
  it('counts a thrown handler as 500 when onError answers', async () => {
    // Hono's default onError logs the error; keep the test output clean.
    const log = vi.spyOn(console, 'error').mockImplementation(() => {});
    const { app, exporter } = filingsApp();
    expect((await app.request('/boom')).status).toBe(500);
    expect(await requestCount(exporter.registry, { route: '/boom', status: '500' })).toBe(1);
    expect(log).toHaveBeenCalled();
    log.mockRestore();
  });

  it('counts a throw as 500 even when a custom onError answers with something else', async () => {
    const { app, exporter } = filingsApp();
    app.onError((_err, c) => c.text('sorry', 200));
    expect((await app.request('/boom')).status).toBe(200);
    expect(await requestCount(exporter.registry, { route: '/boom', status: '500' })).toBe(1);
    expect(
      await requestCount(exporter.registry, { route: '/boom', status: '200' }),
    ).toBeUndefined();
  });

  it('keeps the 5xx a custom onError chose', async () => {
    const { app, exporter } = filingsApp();
    app.onError((_err, c) => c.text('down', 503));
    await app.request('/boom');
    expect(await requestCount(exporter.registry, { route: '/boom', status: '503' })).toBe(1);
  });

  it('counts a throw that propagates past onError as 500 and rethrows it', async () => {
    const { app, exporter } = filingsApp();
    app.onError((err) => {
      throw err;
    });
    await expect(app.request('/boom')).rejects.toThrow('handler failed');
    expect(await requestCount(exporter.registry, { route: '/boom', status: '500' })).toBe(1);
  });

  it('counts a thrown non-Error (which Hono does not catch) as 500', async () => {
    const exporter = createExporter();
    const app = new Hono();
    app.use(exporter.middleware);
    app.get('/odd', () => {
      throw 'a string';
    });
    await expect(app.request('/odd')).rejects.toBe('a string');
    expect(await requestCount(exporter.registry, { route: '/odd', status: '500' })).toBe(1);
  });

  it("keeps an HTTPException's chosen status", async () => {
    const { app, exporter } = filingsApp();
    expect((await app.request('/forbidden')).status).toBe(403);
    expect(await requestCount(exporter.registry, { route: '/forbidden', status: '403' })).toBe(1);
  });

  it('records the status the handler answered', async () => {
    const { app, exporter } = filingsApp();
    await app.request('/filings', { method: 'POST' });
    expect(
      await requestCount(exporter.registry, { route: '/filings', method: 'POST', status: '201' }),
    ).toBe(1);
  });
});

describe('method label', () => {
  it('labels HEAD as HEAD on the GET route', async () => {
    const { app, exporter } = filingsApp();
    const res = await app.request('/filings/1', { method: 'HEAD' });
    expect(res.status).toBe(200);
    expect(await res.text()).toBe('');
    expect(
      await requestCount(exporter.registry, {
        method: 'HEAD',
        route: '/filings/:id',
        status: '200',
      }),
    ).toBe(1);
  });

  it('labels OPTIONS as OPTIONS', async () => {
    const { app, exporter } = filingsApp();
    app.options('/filings/:id', (c) => c.body(null, 204));
    await app.request('/filings/1', { method: 'OPTIONS' });
    await app.request('/elsewhere', { method: 'OPTIONS' });
    expect(
      await requestCount(exporter.registry, {
        method: 'OPTIONS',
        route: '/filings/:id',
        status: '204',
      }),
    ).toBe(1);
    expect(
      await requestCount(exporter.registry, {
        method: 'OPTIONS',
        route: 'unmatched',
        status: '404',
      }),
    ).toBe(1);
  });

  it('collapses methods outside the standard set into other', async () => {
    const { app, exporter } = filingsApp();
    app.all('/dav/:file', (c) => c.text('ok'));
    for (const method of ['PROPFIND', 'BREW', 'X-SCAN-1', 'X-SCAN-2', 'Purge']) {
      await app.request('/dav/a.txt', { method });
    }
    await app.request('/filings/1', { method: 'PATCH' });
    const methods = new Set(
      (await seriesOf(exporter.registry, 'http_requests_total')).map((s) => s.labels.method),
    );
    expect([...methods].sort()).toEqual(['PATCH', 'other']);
    expect(await requestCount(exporter.registry, { method: 'other', route: '/dav/:file' })).toBe(5);
  });
});

describe('duration histogram', () => {
  it('observes seconds, with 2 among the default buckets', async () => {
    const { app, exporter } = filingsApp();
    await app.request('/sleep');
    const values = await seriesOf(exporter.registry, 'http_request_duration_seconds');
    const les = values
      .filter((v) => v.metricName === 'http_request_duration_seconds_bucket')
      .map((v) => v.labels.le);
    expect(les).toEqual([0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2, 5, 10, '+Inf']);
    const sum = values.find((v) => v.metricName === 'http_request_duration_seconds_sum');
    const count = values.find((v) => v.metricName === 'http_request_duration_seconds_count');
    expect(count?.value).toBe(1);
    // 30 ms of sleep: a value in milliseconds would be ~30, one in seconds ~0.03.
    expect(sum?.value).toBeGreaterThanOrEqual(0.025);
    expect(sum?.value).toBeLessThan(5);
    const under10ms = values.find(
      (v) => v.metricName === 'http_request_duration_seconds_bucket' && v.labels.le === 0.01,
    );
    expect(under10ms?.value).toBe(0);
  });

  it('uses the buckets given', async () => {
    const { app, exporter } = filingsApp({ buckets: [0.1, 2] });
    await app.request('/filings/1');
    const les = (await seriesOf(exporter.registry, 'http_request_duration_seconds'))
      .filter((v) => v.metricName === 'http_request_duration_seconds_bucket')
      .map((v) => v.labels.le);
    expect(les).toEqual([0.1, 2, '+Inf']);
  });
});

describe('registry and labels', () => {
  it('puts constant labels on every series', async () => {
    const constLabels = { service: 'filings-api', agency: 'tax', env: 'test' };
    const { app, exporter } = filingsApp({ constLabels });
    await app.request('/filings/1');
    await app.request('/nope');
    for (const name of ['http_requests_total', 'http_request_duration_seconds']) {
      for (const s of await seriesOf(exporter.registry, name)) {
        expect(s.labels).toMatchObject(constLabels);
      }
    }
  });

  it('uses the registry given and leaves the global one alone', async () => {
    const before = (await globalRegistry.getMetricsAsJSON()).map((m) => m.name);
    const registry = new Registry();
    const { app, exporter } = filingsApp({ registry });
    expect(exporter.registry).toBe(registry);
    await app.request('/filings/1');
    expect(await requestCount(registry, { route: '/filings/:id' })).toBe(1);
    expect(globalRegistry.getSingleMetric('http_requests_total')).toBeUndefined();
    expect((await globalRegistry.getMetricsAsJSON()).map((m) => m.name)).toEqual(before);
  });

  it('gives each exporter its own registry by default', () => {
    expect(createExporter().registry).not.toBe(createExporter().registry);
  });

  it('refuses a registry that already holds the request metrics', () => {
    const registry = new Registry();
    createExporter({ registry });
    expect(() => createExporter({ registry })).toThrow(/already holds "http_requests_total"/);
  });

  it('collects process metrics only when asked, with the constant labels', async () => {
    expect(createExporter().registry.getSingleMetric('process_cpu_seconds_total')).toBeUndefined();
    const { registry } = createExporter({ processMetrics: true, constLabels: { service: 's' } });
    const text = await registry.metrics();
    expect(text).toContain('# TYPE process_cpu_user_seconds_total counter');
    expect(text).toMatch(/^process_cpu_user_seconds_total\{service="s"\} /m);
  });
});
