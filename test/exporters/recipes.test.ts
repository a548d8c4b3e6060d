/** The README's "Instrumenting your services" recipes, each run against its exporter: values from the raw counters, and nothing for the selector lint to say. */
import { Hono } from 'hono';
import { afterEach, describe, expect, it } from 'vitest';
import { increaseOf } from '#test-support/exposition-counters.js';
import { type LocalServer, serveLocal } from '#test-support/local-server.js';
import { readmeRecipe } from '#test-support/readme-recipes.js';
import { fixture, recordedTarget, scrapedHead } from '#test-support/scraped-head.js';
import { createExporter } from '../../src/exporter/index.js';
import { evaluateKpi, querySelectors } from '../../src/server/kpi/index.js';
import { lintSelectors } from '../../src/server/kpi/selector-lint.js';
import { parsePolicy } from '../../src/server/policy/index.js';
import { scrapeTargetsOf } from '../../src/server/policy/scrape-targets.js';

/** Two scrapes a minute apart: every recipe's 5 m rate sees exactly these two samples. */
const T0 = 1_800_000_000_000;
const T1 = T0 + 60_000;

const closers: (() => Promise<void>)[] = [];
afterEach(async () => {
  await Promise.all(closers.splice(0).map((close) => close()));
});

/**
 * Scrapes `url` at T0, lets `between` change what it serves, scrapes again at T1, and answers
 * each of the recipe's KPIs by id: its value and what the selector lint says of its query.
 */
async function runRecipe(name: string, url: string, between: () => Promise<void> | void) {
  const policy = parsePolicy(readmeRecipe(name, url), 'README.md');
  const head = scrapedHead(scrapeTargetsOf(policy));
  await head.scrapeAll(T0);
  await between();
  await head.scrapeAll(T1);
  const out = new Map<string, { value: number | null; lint: readonly string[] }>();
  for (const kpi of policy.kpis) {
    const outcome = await evaluateKpi(kpi, head.source, T1);
    const lint = await lintSelectors(querySelectors(kpi.query), head.source, {
      atMs: T1,
      targets: () => head.source.targets?.() ?? [],
    });
    expect(lint.undecided, kpi.id).toBe(false);
    out.set(kpi.id, { value: outcome.value, lint: lint.warnings });
  }
  return out;
}

/** A recipe run over a recorded exposition: `<prefix>-before.prom`, then `<prefix>-after.prom`. */
async function runRecorded(name: string, prefix: string) {
  const before = fixture(`${prefix}-before`);
  const after = fixture(`${prefix}-after`);
  const target = await recordedTarget(before);
  closers.push(() => target.close());
  const kpis = await runRecipe(name, target.url, () => target.serve(after));
  return { kpis, before, after };
}

describe('the README recipes', () => {
  it('kpi-lights exporter: error rate and share within 2 s of a Hono app, from its counters', async () => {
    const exporter = createExporter({ constLabels: { service: 'efile' } });
    let filed = 0;
    const app = new Hono();
    app.get('/metrics', exporter.handler);
    app.use(exporter.middleware);
    // Every tenth filing fails: a 10 % error rate, with no randomness to round.
    app.post('/filings', (c) => (++filed % 10 === 0 ? c.json({}, 503) : c.json({}, 201)));
    const server: LocalServer = await serveLocal(app);
    closers.push(() => server.close());
    const file = (n: number) =>
      Promise.all(
        Array.from({ length: n }, () => fetch(`${server.url}/filings`, { method: 'POST' })),
      );
    await file(40); // before the first scrape: the series exist at T0
    let before = '';
    let after = '';
    const kpis = await runRecipe('kpi-lights exporter', `${server.url}/metrics`, async () => {
      before = await exporter.registry.metrics();
      await file(100);
      after = await exporter.registry.metrics();
    });
    const errors = increaseOf(before, after, 'http_requests_total', (l) => l.status >= '500');
    const all = increaseOf(before, after, 'http_requests_total');
    expect([errors, all]).toEqual([10, 100]);
    expect(kpis.get('efile-error-rate')).toEqual({ value: errors / all, lint: [] });
    const fast = increaseOf(
      before,
      after,
      'http_request_duration_seconds_bucket',
      (l) => l.le === '2',
    );
    const count = increaseOf(before, after, 'http_request_duration_seconds_count');
    expect(kpis.get('efile-within-2s')?.value).toBeCloseTo(fast / count, 12);
    expect(kpis.get('efile-within-2s')?.lint).toEqual([]);
  });

  it('prometheus-fastapi-instrumentator: 5xx by class, its own /metrics scrapes left out, le="1.0"', async () => {
    const { kpis, before, after } = await runRecorded(
      'prometheus-fastapi-instrumentator',
      'instrumentator',
    );
    const api = (l: Readonly<Record<string, string>>) => l.handler !== '/metrics';
    const errors = increaseOf(
      before,
      after,
      'http_requests_total',
      (l) => api(l) && l.status === '5xx',
    );
    const all = increaseOf(before, after, 'http_requests_total', api);
    expect([errors, all]).toEqual([20, 200]);
    expect(kpis.get('refunds-error-rate')?.value).toBeCloseTo(errors / all, 12);
    const fast = increaseOf(
      before,
      after,
      'http_request_duration_seconds_bucket',
      (l) => api(l) && l.le === '1.0',
    );
    const count = increaseOf(before, after, 'http_request_duration_seconds_count', api);
    expect(kpis.get('refunds-within-1s')?.value).toBeCloseTo(fast / count, 12);
    for (const [id, k] of kpis) expect(k.lint, id).toEqual([]);
  });

  it('Micrometer (Spring Boot): outcome="SERVER_ERROR", actuator scrapes left out, the 2 s SLO bound', async () => {
    const { kpis, before, after } = await runRecorded('Micrometer (Spring Boot)', 'micrometer');
    const api = (l: Readonly<Record<string, string>>) => !l.uri.startsWith('/actuator/');
    const name = 'http_server_requests_seconds_count';
    const errors = increaseOf(before, after, name, (l) => l.outcome === 'SERVER_ERROR');
    const all = increaseOf(before, after, name, api);
    expect([errors, all]).toEqual([20, 200]);
    expect(kpis.get('payments-error-rate')?.value).toBeCloseTo(errors / all, 12);
    const fast = increaseOf(
      before,
      after,
      'http_server_requests_seconds_bucket',
      (l) => api(l) && l.le === '2.0',
    );
    expect(kpis.get('payments-within-2s')?.value).toBeCloseTo(fast / all, 12);
    for (const [id, k] of kpis) expect(k.lint, id).toEqual([]);
  });

  it('Go promhttp: code=~"5..", le="2"', async () => {
    const { kpis, before, after } = await runRecorded('Go promhttp', 'promhttp');
    const errors = increaseOf(before, after, 'http_requests_total', (l) => l.code >= '500');
    const all = increaseOf(before, after, 'http_requests_total');
    expect([errors, all]).toEqual([20, 200]);
    expect(kpis.get('identity-error-rate')?.value).toBeCloseTo(errors / all, 12);
    const fast = increaseOf(
      before,
      after,
      'http_request_duration_seconds_bucket',
      (l) => l.le === '2',
    );
    const count = increaseOf(before, after, 'http_request_duration_seconds_count');
    expect(kpis.get('identity-within-2s')?.value).toBeCloseTo(fast / count, 12);
    for (const [id, k] of kpis) expect(k.lint, id).toEqual([]);
  });
});
