/** Tests of the request series and their families: same samples as prom-client's own metrics would give. */
import { Counter, Histogram, Registry } from 'prom-client';
import { describe, expect, it } from 'vitest';
import { parseExposition } from '../server/scrape/index.js';
import { resolveExporterOptions } from './exporter-options.js';
import { RequestMetrics } from './request-metrics.js';

const OBSERVATIONS: [string, string, number, number][] = [
  ['GET', '/filings/:id', 200, 0.003],
  ['GET', '/filings/:id', 200, 0.005], // exactly on a bound: buckets are inclusive
  ['GET', '/filings/:id', 200, 2],
  ['GET', '/filings/:id', 500, 0.2],
  ['POST', '/filings', 201, 12], // above every bound: +Inf only
  ['BREW', 'unmatched', 404, 0],
];

/** Sorted `series value` lines, for comparing two expositions regardless of order. */
function samplesOf(text: string): string[] {
  return parseExposition(text)
    .samples.map((s) => {
      const labels = Object.entries(s.labels)
        .sort(([a], [b]) => a.localeCompare(b))
        .map(([k, v]) => `${k}=${v}`)
        .join(',');
      return `${s.name}{${labels}} ${s.value}`;
    })
    .sort();
}

describe('RequestMetrics', () => {
  it('exposes exactly what prom-client Counter and Histogram would', async () => {
    const ours = new Registry();
    const metrics = new RequestMetrics(
      resolveExporterOptions({ registry: ours, constLabels: { service: 'api' } }),
    );
    const theirs = new Registry();
    const labelNames = ['method', 'route', 'status', 'service'];
    const counter = new Counter({
      name: 'http_requests_total',
      help: 'x',
      labelNames,
      registers: [theirs],
    });
    const histogram = new Histogram({
      name: 'http_request_duration_seconds',
      help: 'x',
      labelNames,
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2, 5, 10],
      registers: [theirs],
    });
    for (const [method, route, status, seconds] of OBSERVATIONS) {
      metrics.record(method, route, status, seconds);
      const labels = {
        method: method === 'BREW' ? 'other' : method,
        route,
        status: String(status),
        service: 'api',
      };
      counter.inc(labels);
      histogram.observe(labels, seconds);
    }
    expect(samplesOf(await ours.metrics())).toEqual(samplesOf(await theirs.metrics()));
    expect(samplesOf(await ours.metrics())).toContain(
      'http_request_duration_seconds_bucket{le=0.005,method=GET,route=/filings/:id,service=api,status=200} 2',
    );
  });

  it('resets with the registry, keeping its series at zero', async () => {
    const registry = new Registry();
    const metrics = new RequestMetrics(resolveExporterOptions({ registry }));
    metrics.record('GET', '/a', 200, 0.1);
    registry.resetMetrics();
    const json = await registry.getMetricsAsJSON();
    for (const family of json) {
      for (const v of family.values) expect(v.value).toBe(0);
    }
    metrics.record('GET', '/a', 200, 0.1);
    expect(await registry.metrics()).toMatch(/^http_requests_total\{[^}]*\} 1$/m);
  });

  it('reports through getMetricsAsJSON, with the registry default labels', async () => {
    const registry = new Registry();
    registry.setDefaultLabels({ region: 'eu' });
    const metrics = new RequestMetrics(resolveExporterOptions({ registry }));
    metrics.record('GET', '/a', 200, 0.1);
    const counter = (await registry.getMetricsAsJSON()).find(
      (m) => m.name === 'http_requests_total',
    );
    expect(counter?.values).toEqual([
      { labels: { method: 'GET', route: '/a', status: '200', region: 'eu' }, value: 1 },
    ]);
  });
});
