/** What the selector lint says about each real exporter tried: the usual slips found, "no errors yet" left alone. */
import { Hono } from 'hono';
import { afterEach, describe, expect, it } from 'vitest';
import { type LocalServer, serveLocal } from '#test-support/local-server.js';
import { fixture, recordedTarget, scrapedHead } from '#test-support/scraped-head.js';
import { createExporter } from '../../src/exporter/index.js';
import { lintSelectors, querySelectors } from '../../src/server/kpi/index.js';

const AT = 1_800_000_000_000;

const closers: (() => Promise<void>)[] = [];
afterEach(async () => {
  await Promise.all(closers.splice(0).map((close) => close()));
});

/** Scrapes `url` once, labelled `service`, and answers a linter of queries over what it sent. */
async function linterFor(url: string, service: string) {
  const head = scrapedHead([{ url, labels: { service }, job: service }]);
  await head.scrapeAll(AT);
  return async (query: string) => {
    const lint = await lintSelectors(querySelectors(query), head.source, {
      atMs: AT,
      targets: () => head.source.targets?.() ?? [],
    });
    expect(lint.undecided, query).toBe(false);
    return lint.warnings;
  };
}

async function recorded(text: string, service: string) {
  const target = await recordedTarget(text);
  closers.push(() => target.close());
  return linterFor(target.url, service);
}

describe('the selector lint on real exporters', () => {
  it('prometheus-fastapi-instrumentator: status classes, no status on latency, le="1.0", handler templates', async () => {
    const lint = await recorded(fixture('instrumentator-after'), 'refunds');
    expect(await lint('http_requests_total{service="refunds",status="500"}')).toEqual([
      'http_requests_total{status="500"} can never match: status has 2xx, 4xx, 5xx; "500" matches none',
    ]);
    expect(await lint('http_requests_total{service="refunds",status=~"5[0-9]{2}"}')).toEqual([
      'http_requests_total{status=~"5[0-9]{2}"} can never match: status has 2xx, 4xx, 5xx; "5[0-9]{2}" matches none',
    ]);
    expect(await lint('http_requests_total{service="refunds",code=~"5.."}')).toEqual([
      'http_requests_total{code=~"5.."} can never match: http_requests_total has no label code (it has handler, instance, job, method, service, status)',
    ]);
    expect(
      await lint('http_request_duration_seconds_bucket{service="refunds",status="5xx"}'),
    ).toEqual([
      'http_request_duration_seconds_bucket{status="5xx"} can never match: http_request_duration_seconds_bucket has no label status (it has handler, instance, job, le, method, service)',
    ]);
    expect(await lint('http_request_duration_seconds_bucket{service="refunds",le="1"}')).toEqual([
      'histogram http_request_duration_seconds has its bucket le="1" spelled le="1.0": the matcher compares text, so write le="1.0"',
    ]);
    expect(await lint('http_request_duration_seconds_bucket{service="refunds",le="2.0"}')).toEqual([
      'histogram http_request_duration_seconds has no bucket le="2.0" (has 0.1, 0.5, 1.0): that selector matches no series; use a scraped bound or add the bucket to the exporter',
    ]);
    expect(await lint('http_requests_total{service="refunds",handler="/refunds/{id}"}')).toEqual([
      'http_requests_total{handler="/refunds/{id}"} can never match: handler has /metrics, /refunds, /refunds/{refund_id}; "/refunds/{id}" matches none',
    ]);
  });

  it('prometheus-fastapi-instrumentator before its first error: a 5xx class matcher is quiet, "500" is not', async () => {
    const calm = fixture('instrumentator-before')
      .split('\n')
      .filter((line) => !line.includes('status="5xx"'))
      .join('\n');
    const lint = await recorded(calm, 'refunds');
    expect(await lint('http_requests_total{service="refunds",status="5xx"}')).toEqual([]);
    expect(await lint('http_requests_total{service="refunds",status=~"5.."}')).toEqual([]);
    expect(await lint('http_requests_total{service="refunds",status="500"}')).toEqual([
      'http_requests_total{status="500"} can never match: status has 2xx, 4xx; "500" matches none',
    ]);
  });

  it('Micrometer: le="2.0", outcome and exception spellings, Spring\'s {id} templates', async () => {
    const lint = await recorded(fixture('micrometer-after'), 'payments');
    expect(await lint('http_server_requests_seconds_bucket{service="payments",le="2"}')).toEqual([
      'histogram http_server_requests_seconds has its bucket le="2" spelled le="2.0": the matcher compares text, so write le="2.0"',
    ]);
    expect(
      await lint('http_server_requests_seconds_count{service="payments",outcome="SERVER_ERRORS"}'),
    ).toEqual([
      'http_server_requests_seconds_count{outcome="SERVER_ERRORS"} can never match: outcome has CLIENT_ERROR, SERVER_ERROR, SUCCESS; "SERVER_ERRORS" matches none',
    ]);
    // Spring Boot 2 wrote exception="None"; Boot 3 writes "none".
    expect(
      await lint('http_server_requests_seconds_count{service="payments",exception="None"}'),
    ).toEqual([
      'http_server_requests_seconds_count{exception="None"} can never match: exception has none, PaymentGatewayException; "None" matches none',
    ]);
    expect(
      await lint('http_server_requests_seconds_count{service="payments",uri="/api/payments/:id"}'),
    ).toEqual([
      'http_server_requests_seconds_count{uri="/api/payments/:id"} can never match: uri has /actuator/prometheus, /api/payments, /api/payments/{id}; "/api/payments/:id" matches none',
    ]);
    expect(await lint('http_server_requests_total{service="payments"}')).toEqual([
      'no target exposes http_server_requests_total: check its name (a metric with labels appears only after its first event)',
    ]);
  });

  it('Go promhttp: code, not status; lowercase methods; le="2"', async () => {
    const lint = await recorded(fixture('promhttp-after'), 'identity');
    expect(await lint('http_requests_total{service="identity",status=~"5.."}')).toEqual([
      'http_requests_total{status=~"5.."} can never match: http_requests_total has no label status (it has code, instance, job, method, service)',
    ]);
    expect(await lint('http_requests_total{service="identity",method="GET"}')).toEqual([
      'http_requests_total{method="GET"} can never match: method has get, post; "GET" matches none',
    ]);
    expect(await lint('http_request_duration_seconds_bucket{service="identity",le="2.0"}')).toEqual(
      [
        'histogram http_request_duration_seconds has its bucket le="2.0" spelled le="2": the matcher compares text, so write le="2"',
      ],
    );
    expect(await lint('http_requests_total{service="identity",code="5xx"}')).toEqual([
      'http_requests_total{code="5xx"} can never match: code has 200, 201, 400, 404, 500, 503; "5xx" matches none',
    ]);
    expect(await lint('http_requests_total{service="identity",method="delete"}')).toEqual([]);
  });

  it('kpi-lights exporter, before its first error: status=~"5.." is quiet; code, le="2.0" and a typo are not', async () => {
    const exporter = createExporter();
    const app = new Hono();
    app.get('/metrics', exporter.handler);
    app.use(exporter.middleware);
    app.post('/filings', (c) => c.json({}, 201));
    const server: LocalServer = await serveLocal(app);
    closers.push(() => server.close());
    await Promise.all(
      Array.from({ length: 5 }, () => fetch(`${server.url}/filings`, { method: 'POST' })),
    );
    const lint = await linterFor(`${server.url}/metrics`, 'efile');
    expect(await lint('http_requests_total{service="efile",status=~"5.."}')).toEqual([]);
    expect(await lint('http_requests_total{service="efile",status="503"}')).toEqual([]);
    expect(await lint('http_requests_total{service="efile",code=~"5.."}')).toEqual([
      'http_requests_total{code=~"5.."} can never match: http_requests_total has no label code (it has instance, job, method, route, service, status)',
    ]);
    expect(await lint('http_request_duration_seconds_bucket{service="efile",le="2.0"}')).toEqual([
      'histogram http_request_duration_seconds has its bucket le="2.0" spelled le="2": the matcher compares text, so write le="2"',
    ]);
    expect(await lint('sum(rate(http_request_total{service="efile"}[5m]))')).toEqual([
      'no target exposes http_request_total (did you mean http_requests_total?): the selector matches nothing',
    ]);
  });
});
