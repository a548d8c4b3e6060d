import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { lintBuckets } from '../kpi/bucket-lint.js';
import { PromqlEngine } from '../promql/index.js';
import { ScrapeManager } from '../scrape/index.js';
import { createEmbeddedSource } from '../source/embedded-source.js';
import { QueryError } from '../source/query-error.js';
import type { QuerySource } from '../source/query-source.js';
import { createHead } from '../store/index.js';
import { EngineWorkerHost } from './engine-worker-host.js';

const T0 = 1_700_000_000_000;
const STEP_MS = 15_000;
const SCRAPES = 40;

/** Scrape `i` of a small service: counters, a histogram and a gauge, stamped at `T0 + i·15 s`. */
function body(i: number): string {
  const t = T0 + i * STEP_MS;
  const lines = ['# TYPE http_requests_total counter'];
  for (const [svc, status, per] of [
    ['efile', '200', 10],
    ['efile', '500', 1],
    ['status', '200', 4],
  ] as const) {
    lines.push(`http_requests_total{service="${svc}",status="${status}"} ${i * per} ${t}`);
  }
  lines.push('# TYPE latency_seconds histogram');
  for (const [le, share] of [
    ['0.1', 0.5],
    ['0.5', 0.8],
    ['2', 0.95],
    ['+Inf', 1],
  ] as const) {
    lines.push(`latency_seconds_bucket{le="${le}"} ${Math.round(i * 20 * share)} ${t}`);
  }
  lines.push(`latency_seconds_count ${i * 20} ${t}`, `latency_seconds_sum ${i * 5.5} ${t}`);
  lines.push('# TYPE queue_depth gauge', `queue_depth{service="efile"} ${(i * 7) % 13} ${t}`);
  return `${lines.join('\n')}\n`;
}

let server: Server;
let host: EngineWorkerHost;
let inProcess: QuerySource;

beforeAll(async () => {
  let scrape = 0;
  server = createServer((_req, res) => res.end(body(scrape)));
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/metrics`;
  const targets = [{ url, job: 'svc' }];
  host = new EngineWorkerHost({ targets });
  const head = createHead({ retentionMs: Number.POSITIVE_INFINITY });
  const local = new ScrapeManager({ store: head, targets });
  inProcess = createEmbeddedSource(new PromqlEngine(head));
  await host.whenReady();
  const [id] = host.targets().map((t) => t.id);
  // Both scrape the same body each time, so both heads hold the same samples.
  for (scrape = 1; scrape <= SCRAPES; scrape++) {
    await Promise.all([host.scrapeNow(id), local.scrapeNow(id)]);
  }
});

afterAll(async () => {
  await host?.close();
  await new Promise((r) => server?.close(r));
});

// Conformance-like queries, kept to the scraped metrics: `up` and `scrape_*` carry each
// scraper's own durations and differ by nature.
const INSTANT = [
  'http_requests_total',
  'sum by (service) (rate(http_requests_total[1m]))',
  'sum(rate(http_requests_total{status=~"5.."}[2m])) / sum(rate(http_requests_total[2m]))',
  'histogram_quantile(0.9, sum by (le) (rate(latency_seconds_bucket[5m])))',
  'avg_over_time(queue_depth[3m])',
  'max_over_time(rate(http_requests_total[1m])[5m:30s])',
  'topk(2, http_requests_total)',
  'absent(nothing_here{job="x"})',
  'label_replace(queue_depth, "svc", "$1", "service", "(.*)")',
  'scalar(sum(queue_depth)) * 2',
  'count_values("depth", queue_depth)',
  'latency_seconds_bucket[1m]',
  'time()',
  '"a string"',
  'increase(http_requests_total[5m]) > 10',
];

const RANGE = [
  'sum(rate(http_requests_total[1m]))',
  'queue_depth',
  'deriv(queue_depth[2m])',
  'histogram_quantile(0.5, rate(latency_seconds_bucket[2m]))',
];

describe('the engine worker as a QuerySource', () => {
  const at = T0 + SCRAPES * STEP_MS;

  it('holds what it scraped: the comparisons below are not of empty answers', async () => {
    const r = await host.source.range('http_requests_total', at - 60_000, at, 15_000);
    expect(r.resultType === 'matrix' && r.result.map((s) => s.points.length)).toEqual([5, 5, 5]);
  });

  it.each(INSTANT)('answers %s as the in-process engine does', async (q) => {
    const [viaWorker, local] = await Promise.all([
      host.source.instant(q, at),
      inProcess.instant(q, at),
    ]);
    expect(viaWorker).toEqual(local);
  });

  it.each(RANGE)('answers the range query %s as the in-process engine does', async (q) => {
    const [viaWorker, local] = await Promise.all([
      host.source.range(q, at - 5 * 60_000, at, 10_000),
      inProcess.range(q, at - 5 * 60_000, at, 10_000),
    ]);
    expect(viaWorker).toEqual(local);
  });

  it('fails as the in-process engine does, with the same QueryError kind and words', async () => {
    for (const q of [
      'sum(',
      'rate(queue_depth)',
      'sum by (le) (latency_seconds_bucket) / on() group_left latency_seconds_bucket',
    ]) {
      const [w, l] = await Promise.all(
        [host.source.instant(q, at), inProcess.instant(q, at)].map((p) =>
          p.then(
            () => undefined,
            (e: unknown) => e,
          ),
        ),
      );
      expect(w).toBeInstanceOf(QueryError);
      expect([(w as QueryError).kind, (w as QueryError).message]).toEqual([
        (l as QueryError).kind,
        (l as QueryError).message,
      ]);
    }
  });

  it('lints buckets through the seam, asking the worker for series', async () => {
    expect(
      await lintBuckets(
        [
          {
            name: 'latency_seconds_bucket',
            matchers: [
              { name: '__name__', type: '=', value: 'latency_seconds_bucket' },
              { name: 'le', type: '=', value: '1' },
            ],
          },
        ],
        host.source,
      ),
    ).toEqual([
      'histogram latency_seconds has no bucket le="1" (has 0.1, 0.5, 2): that selector matches no series; use a scraped bound or add the bucket to the exporter',
    ]);
  });
});
