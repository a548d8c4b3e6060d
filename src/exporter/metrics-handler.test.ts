/** Tests of `/metrics`: format negotiation, and exposition text our own parser reads in both formats. */
import { Hono } from 'hono';
import { Counter, Gauge, Registry, type RegistryContentType } from 'prom-client';
import { describe, expect, it } from 'vitest';
import type { Exposition, ExpositionFormat } from '../server/scrape/index.js';
import { formatFromContentType, parseExposition, SCRAPE_ACCEPT } from '../server/scrape/index.js';
import { createExporter, formatFromAccept, metricsHandler } from './index.js';

const PROMETHEUS_ACCEPT =
  'application/openmetrics-text;version=1.0.0,application/openmetrics-text;version=0.0.1;q=0.75,' +
  'text/plain;version=0.0.4;q=0.5,*/*;q=0.1';

function instrumentedApp() {
  const exporter = createExporter({ constLabels: { service: 'filings-api' } });
  const app = new Hono();
  app.use(exporter.middleware);
  app.get('/metrics', exporter.handler);
  app.get('/filings/:id', (c) => c.text('ok'));
  return { app, exporter };
}

async function scrape(app: Hono, accept?: string): Promise<Exposition> {
  const res = await app.request('/metrics', accept ? { headers: { accept } } : {});
  expect(res.status).toBe(200);
  const format: ExpositionFormat = formatFromContentType(res.headers.get('content-type'));
  return parseExposition(await res.text(), format);
}

function value(exposition: Exposition, name: string, labels: Record<string, string>) {
  return exposition.samples.find(
    (s) => s.name === name && Object.entries(labels).every(([k, v]) => s.labels[k] === v),
  )?.value;
}

describe('formatFromAccept', () => {
  it.each([
    [undefined, 'prometheus'],
    ['', 'prometheus'],
    ['*/*', 'prometheus'],
    ['text/plain;version=0.0.4', 'prometheus'],
    [PROMETHEUS_ACCEPT, 'openmetrics'],
    ['application/openmetrics-text', 'openmetrics'],
    ['Application/OpenMetrics-Text; version=1.0.0', 'openmetrics'],
    ['text/plain;q=1, application/openmetrics-text;q=0.2', 'prometheus'],
    ['application/openmetrics-text;q=0', 'prometheus'],
    [
      'application/vnd.google.protobuf;proto=io.prometheus.client.MetricFamily;encoding=delimited;q=0.5,' +
        'application/openmetrics-text;version=1.0.0;q=0.4,text/plain;version=0.0.4;q=0.2,*/*;q=0.1',
      'openmetrics',
    ],
    [SCRAPE_ACCEPT, 'openmetrics'],
  ] as const)('%j → %s', (accept, format) => {
    expect(formatFromAccept(accept)).toBe(format);
  });
});

describe('/metrics', () => {
  it('answers Prometheus text by default, which our parser reads', async () => {
    const { app } = instrumentedApp();
    await app.request('/filings/1');
    const res = await app.request('/metrics');
    expect(res.headers.get('content-type')).toBe('text/plain; version=0.0.4; charset=utf-8');
    expect(res.headers.get('cache-control')).toBe('no-store');
    const exposition = parseExposition(await res.text(), 'prometheus');
    expect(exposition.families).toContainEqual(
      expect.objectContaining({ name: 'http_requests_total', type: 'counter' }),
    );
    expect(exposition.families).toContainEqual(
      expect.objectContaining({ name: 'http_request_duration_seconds', type: 'histogram' }),
    );
    const labels = { service: 'filings-api', method: 'GET', route: '/filings/:id', status: '200' };
    expect(value(exposition, 'http_requests_total', labels)).toBe(1);
    expect(value(exposition, 'http_request_duration_seconds_bucket', { ...labels, le: '2' })).toBe(
      1,
    );
    expect(value(exposition, 'http_request_duration_seconds_count', labels)).toBe(1);
  });

  it('answers OpenMetrics when Prometheus asks for it, which our parser reads', async () => {
    const { app } = instrumentedApp();
    await app.request('/filings/1');
    const res = await app.request('/metrics', { headers: { accept: PROMETHEUS_ACCEPT } });
    expect(res.headers.get('content-type')).toBe(
      'application/openmetrics-text; version=1.0.0; charset=utf-8',
    );
    const text = await res.text();
    expect(text.endsWith('# EOF\n')).toBe(true);
    const exposition = parseExposition(text, 'openmetrics');
    // OpenMetrics names the counter family without `_total` and its sample with it, once.
    expect(exposition.families).toContainEqual(
      expect.objectContaining({ name: 'http_requests', type: 'counter' }),
    );
    expect(exposition.samples.some((s) => s.name.endsWith('_total_total'))).toBe(false);
    const labels = { service: 'filings-api', method: 'GET', route: '/filings/:id', status: '200' };
    expect(value(exposition, 'http_requests_total', labels)).toBe(1);
    expect(value(exposition, 'http_request_duration_seconds_count', labels)).toBe(1);
  });

  it('keeps the counter name right in both formats however scrapes alternate', async () => {
    const { app, exporter } = instrumentedApp();
    await app.request('/filings/1');
    const scrapes = await Promise.all([
      scrape(app, PROMETHEUS_ACCEPT),
      scrape(app),
      scrape(app, PROMETHEUS_ACCEPT),
      scrape(app),
    ]);
    for (const exposition of scrapes) {
      const counterFamily =
        exposition.format === 'openmetrics' ? 'http_requests' : 'http_requests_total';
      expect(exposition.families.map((f) => f.name)).toContain(counterFamily);
      expect(exposition.samples.some((s) => s.name === 'http_requests_total')).toBe(true);
    }
    expect(scrapes.map((e) => e.format)).toEqual([
      'openmetrics',
      'prometheus',
      'openmetrics',
      'prometheus',
    ]);
    // The registry itself is untouched: its own rendering still says http_requests_total.
    expect(exporter.registry.getSingleMetric('http_requests_total')).toBeDefined();
    expect(await exporter.registry.metrics()).toContain('# TYPE http_requests_total counter');
  });

  it('serves every metric of the registry, including ones the app added', async () => {
    const { app, exporter } = instrumentedApp();
    new Gauge({
      name: 'filings_queue_depth',
      help: 'Queued filings.',
      registers: [exporter.registry],
    }).set(4);
    new Counter({ name: 'filings_total', help: 'Filings.', registers: [exporter.registry] }).inc(2);
    for (const accept of [undefined, PROMETHEUS_ACCEPT]) {
      const exposition = await scrape(app, accept);
      expect(value(exposition, 'filings_queue_depth', {})).toBe(4);
      expect(value(exposition, 'filings_total', {})).toBe(2);
    }
  });

  it('renders a registry set to OpenMetrics in both formats too', async () => {
    const registry = new Registry<RegistryContentType>();
    registry.setContentType('application/openmetrics-text; version=1.0.0; charset=utf-8');
    registry.setDefaultLabels({ region: 'eu' });
    new Counter({ name: 'jobs_total', help: 'Jobs.', registers: [registry] }).inc();
    const app = new Hono().get('/metrics', metricsHandler(registry));
    const text = await scrape(app);
    expect(text.format).toBe('prometheus');
    expect(value(text, 'jobs_total', { region: 'eu' })).toBe(1);
    const om = await scrape(app, PROMETHEUS_ACCEPT);
    expect(value(om, 'jobs_total', { region: 'eu' })).toBe(1);
  });

  it('answers HEAD with the headers and no body', async () => {
    const { app } = instrumentedApp();
    const res = await app.request('/metrics', { method: 'HEAD' });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^text\/plain/);
    expect(await res.text()).toBe('');
  });

  it('turns a failing collector into a 500 that keeps the cause', async () => {
    const registry = new Registry();
    new Gauge({
      name: 'broken',
      help: 'Always fails.',
      registers: [registry],
      collect() {
        throw new Error('sensor offline');
      },
    });
    let cause: unknown;
    const app = new Hono().get('/metrics', metricsHandler(registry));
    app.onError((err, c) => {
      cause = err.cause;
      return c.text(err.message, 500);
    });
    const res = await app.request('/metrics');
    expect(res.status).toBe(500);
    expect(await res.text()).toBe('collecting metrics failed');
    expect((cause as Error).message).toBe('sensor offline');
  });
});
