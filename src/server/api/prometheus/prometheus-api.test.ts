import { Hono } from 'hono';
import { beforeAll, describe, expect, it } from 'vitest';
import type { AlertInfo, KpiReading } from '../../../sdk/types.js';
import { parsePolicy } from '../../policy/index.js';
import { PromqlEngine } from '../../promql/index.js';
import type { ScrapeHealth } from '../../scrape/target-health.js';
import { localSeriesReader } from '../../series-reads/read-head.js';
import { createEmbeddedSource } from '../../source/embedded-source.js';
import { createHead } from '../../store/index.js';
import { requireScope } from '../auth.js';
import { createPrometheusApi } from './prometheus-api.js';

const T0 = 1_700_000_000_000;
const TOKEN = 'prometheus-api-test-token-0123';
const POLICY = parsePolicy(
  `kpis:
  - id: depth
    title: Queue depth
    query: sum(queue_depth)
    unit: count
    thresholds: { warning: 5, critical: 10 }
alerts:
  - name: DepthHigh
    kpi: depth
    when: warning
    for: 1m
    summary: "{{ $kpi }} is {{ $value }}"
auth:
  read: token
  tokens: [{ name: grafana, token: ${TOKEN}, scopes: [read] }]
`,
  'kpi-lights.yaml',
);

const TARGET: ScrapeHealth = {
  id: 't1',
  url: 'http://127.0.0.1:9101/metrics?module=x',
  job: 'efile',
  instance: '127.0.0.1:9101',
  labels: { instance: '127.0.0.1:9101', job: 'efile', service: 'efile' },
  health: 'up',
  lastScrape: T0,
  lastDurationMs: 12,
  lastLatenessMs: 0,
  missedSlots: 0,
  lastSampleCount: 2,
  lastError: null,
  intervalMs: 15_000,
  timeoutMs: 5_000,
};

const READING = {
  id: 'depth',
  evaluatedAt: new Date(T0).toISOString(),
  status: 'warning',
  value: 7,
} as KpiReading;

const ALERT: AlertInfo = {
  id: 'a1',
  name: 'DepthHigh',
  state: 'pending',
  severity: '',
  labels: { alertname: 'DepthHigh', kpi: 'depth' },
  summary: 'Queue depth is 7',
  value: 7,
  activeAt: new Date(T0).toISOString(),
  policyVersion: 1,
};

let app: Hono;

beforeAll(() => {
  const head = createHead({ retentionMs: Number.POSITIVE_INFINITY });
  for (const [queue, v] of [
    ['filings', 5],
    ['refunds', 2],
  ] as const) {
    const ref = head.getOrCreate({ __name__: 'queue_depth', job: 'efile', queue });
    head.append(ref, T0 - 15_000, v);
    head.append(ref, T0, v);
  }
  const reader = localSeriesReader({
    head,
    metadata: () => [
      {
        labels: TARGET.labels,
        families: [
          { name: 'queue_depth', type: 'gauge', help: 'Items waiting.' },
          { name: 'legacy', type: 'untyped' },
        ],
      },
      {
        labels: { job: 'status', instance: 'b:1' },
        families: [{ name: 'queue_depth', type: 'gauge', help: 'Items waiting.' }],
      },
    ],
  });
  const { prefix, federate } = createPrometheusApi({
    guard: requireScope('read', () => POLICY.auth),
    data: {
      kind: 'embedded',
      source: createEmbeddedSource(new PromqlEngine(head), { head }),
      reader,
      targets: () => [TARGET],
      status: {
        policy: () => POLICY,
        flags: () => ({ 'query.timeout': '2m' }),
        startedAt: T0,
        lastConfig: () => ({ atMs: T0, ok: true }),
        retention: '2h',
        reader,
      },
    },
    rules: () => ({
      policy: POLICY,
      file: 'kpi-lights.yaml',
      readings: [READING],
      alerts: [ALERT],
      lastRoundMs: 4,
    }),
    alertmanagers: () => ['http://127.0.0.1:9093'],
    now: () => T0 + 1_000,
    report: () => {},
  });
  app = new Hono().route('/prometheus', prefix).route('/federate', federate);
});

const auth = { authorization: `Bearer ${TOKEN}` };
async function get(path: string, init: RequestInit = {}) {
  const res = await app.request(path, { ...init, headers: { ...auth, ...init.headers } });
  const text = await res.text();
  let body: unknown = text;
  try {
    body = JSON.parse(text);
  } catch {
    // text answers (federate) stay text
  }
  return { status: res.status, headers: res.headers, body: body as Record<string, unknown> };
}
const form = (fields: Record<string, string>) => ({
  method: 'POST',
  headers: { 'content-type': 'application/x-www-form-urlencoded' },
  body: new URLSearchParams(fields).toString(),
});

describe('the prefix answers every error in Prometheus envelope', () => {
  it('an unknown path is not_found, another method on a known path method_not_allowed', async () => {
    expect(await get('/prometheus/api/v1/nope')).toMatchObject({
      status: 404,
      body: {
        status: 'error',
        errorType: 'not_found',
        error: 'no route for GET /prometheus/api/v1/nope',
      },
    });
    const put = await get('/prometheus/api/v1/query', { method: 'PUT' });
    expect(put.status).toBe(405);
    expect(put.body).toMatchObject({ errorType: 'method_not_allowed' });
    expect((await get('/prometheus/api/v1/metadata', { method: 'POST' })).status).toBe(405);
  });

  it('no token: 401 unauthorized with WWW-Authenticate', async () => {
    const res = await app.request('/prometheus/api/v1/labels');
    expect(res.status).toBe(401);
    expect(res.headers.get('www-authenticate')).toBe('Bearer realm="kpi-lights"');
    expect(await res.json()).toMatchObject({ status: 'error', errorType: 'unauthorized' });
  });

  it('a body past the limit: 413 in the envelope, not a problem document', async () => {
    const res = await get(
      '/prometheus/api/v1/series',
      form({ 'match[]': 'x'.repeat(1024 * 1024 + 1) }),
    );
    expect(res.status).toBe(413);
    expect(res.headers.get('content-type')).toMatch(/^application\/json/);
    expect(res.body).toMatchObject({ status: 'error', errorType: 'too_large' });
  });

  it('selectors and label names are checked with Prometheus words', async () => {
    expect((await get('/prometheus/api/v1/series')).body).toEqual({
      status: 'error',
      errorType: 'bad_data',
      error: 'no match[] parameter provided',
    });
    expect(
      (await get(`/prometheus/api/v1/series?match[]=${encodeURIComponent('{}')}`)).body,
    ).toMatchObject({
      error: 'invalid parameter "match[]": match[] must contain at least one non-empty matcher',
    });
    const notSelector = await get(
      `/prometheus/api/v1/labels?match[]=${encodeURIComponent('rate(x[5m])')}`,
    );
    expect(notSelector.body.error).toMatch(/^invalid parameter "match\[\]": 1:1: parse error: /);
    expect((await get('/prometheus/api/v1/label/a-b/values')).body).toMatchObject({
      error: 'invalid label name: "a-b"',
    });
    expect((await get('/prometheus/api/v1/labels?start=soon')).body).toMatchObject({
      error: `invalid parameter "start": Invalid time value for 'start': cannot parse "soon" to a valid timestamp`,
    });
  });
});

describe('the embedded engine answers', () => {
  it('series, labels and values by GET and POST, with limit warnings', async () => {
    const series = await get(
      '/prometheus/api/v1/series',
      form({ 'match[]': 'queue_depth', limit: '1' }),
    );
    expect(series.body).toEqual({
      status: 'success',
      data: [{ __name__: 'queue_depth', job: 'efile', queue: 'filings' }],
      warnings: ['results truncated due to limit'],
    });
    expect((await get('/prometheus/api/v1/label/queue/values?match[]=queue_depth')).body).toEqual({
      status: 'success',
      data: ['filings', 'refunds'],
    });
  });

  it('query with stats=all, a cheap one within a short timeout, a parse error with its place', async () => {
    const path = `/prometheus/api/v1/query?query=sum(queue_depth)&time=${T0 / 1000}&stats=all`;
    await get(path);
    // The timeout counts the query's own work: warmed up, a cheap query fits in a few ms. On a
    // busy machine the thread itself may be paused past them, so it gets a few tries.
    let q = await get(`${path}&timeout=5ms`);
    for (let i = 0; i < 5 && q.status !== 200; i++) q = await get(`${path}&timeout=5ms`);
    expect(q.status).toBe(200);
    const data = q.body.data as { result: unknown; stats: { timings: object; samples: object } };
    expect(data.result).toEqual([{ metric: {}, value: [T0 / 1000, '7'] }]);
    expect(Object.keys(data.stats.timings).sort()).toEqual([
      'evalTotalTime',
      'execQueueTime',
      'execTotalTime',
      'innerEvalTime',
      'queryPreparationTime',
      'resultSortTime',
    ]);
    expect(data.stats.samples).toEqual({ totalQueryableSamples: 2, peakSamples: 2 });
    const bad = await get(
      `/prometheus/api/v1/query?query=${encodeURIComponent('sum(queue_depth')}`,
    );
    expect(bad.body).toEqual({
      status: 'error',
      errorType: 'bad_data',
      error: 'invalid parameter "query": 1:16: parse error: unclosed left parenthesis',
    });
  });

  it('metadata merged by metric, with limit and metric; per target with match_target', async () => {
    expect((await get('/prometheus/api/v1/metadata')).body.data).toEqual({
      legacy: [{ type: 'unknown', help: '', unit: '' }],
      queue_depth: [{ type: 'gauge', help: 'Items waiting.', unit: '' }],
    });
    expect(
      Object.keys((await get('/prometheus/api/v1/metadata?limit=1')).body.data as object),
    ).toEqual(['legacy']);
    const perTarget = await get(
      `/prometheus/api/v1/targets/metadata?match_target=${encodeURIComponent('{job="status"}')}&metric=queue_depth`,
    );
    expect(perTarget.body.data).toEqual([
      {
        target: { job: 'status', instance: 'b:1' },
        type: 'gauge',
        help: 'Items waiting.',
        unit: '',
      },
    ]);
  });

  it('targets in activeTargets shape; none dropped', async () => {
    const { data } = (await get('/prometheus/api/v1/targets')).body as {
      data: { activeTargets: Record<string, unknown>[]; droppedTargets: unknown[] };
    };
    expect(data.droppedTargets).toEqual([]);
    expect(data.activeTargets[0]).toEqual({
      discoveredLabels: {
        __address__: '127.0.0.1:9101',
        __metrics_path__: '/metrics',
        __scheme__: 'http',
        __scrape_interval__: '15s',
        __scrape_timeout__: '5s',
        __param_module: 'x',
        job: 'efile',
        service: 'efile',
      },
      labels: TARGET.labels,
      scrapePool: 'efile',
      scrapeUrl: TARGET.url,
      globalUrl: TARGET.url,
      lastError: '',
      lastScrape: new Date(T0).toISOString(),
      lastScrapeDuration: 0.012,
      health: 'up',
      scrapeInterval: '15s',
      scrapeTimeout: '5s',
    });
    const dropped = await get('/prometheus/api/v1/targets?state=dropped');
    expect(dropped.body.data).toEqual({ activeTargets: [], droppedTargets: [] });
  });

  it('rules as exported, with their alerts; filtered by type and name', async () => {
    const all = (await get('/prometheus/api/v1/rules')).body.data as {
      groups: { rules: Record<string, unknown>[] }[];
    };
    expect(all.groups[0].rules).toEqual([
      {
        name: 'kpi_lights:depth',
        query: 'sum(queue_depth)',
        health: 'ok',
        evaluationTime: 0.004,
        lastEvaluation: READING.evaluatedAt,
        type: 'recording',
      },
      {
        state: 'pending',
        name: 'DepthHigh',
        query: 'kpi_lights:depth >= 5',
        duration: 60,
        keepFiringFor: 0,
        labels: { severity: 'warning', kpi: 'depth' },
        annotations: { summary: 'Queue depth is {{ printf "%.4g" $value }}' },
        alerts: [
          {
            labels: ALERT.labels,
            annotations: { summary: 'Queue depth is 7' },
            state: 'pending',
            activeAt: ALERT.activeAt,
            value: '7e+00',
          },
        ],
        health: 'ok',
        evaluationTime: 0.004,
        lastEvaluation: READING.evaluatedAt,
        type: 'alerting',
      },
    ]);
    const records = (await get('/prometheus/api/v1/rules?type=record')).body.data as typeof all;
    expect(records.groups[0].rules.map((r) => r.type)).toEqual(['recording']);
    const none = (await get('/prometheus/api/v1/rules?rule_name[]=nope')).body.data;
    expect(none).toEqual({ groups: [] });
    expect((await get('/prometheus/api/v1/alerts')).body.data).toEqual({
      alerts: [all.groups[0].rules[1].alerts].flat(),
    });
  });

  it('status routes, exemplars and alertmanagers', async () => {
    expect((await get('/prometheus/api/v1/status/flags')).body.data as object).toEqual({
      'query.timeout': '2m',
    });
    expect((await get('/prometheus/api/v1/query_exemplars?query=queue_depth')).body).toEqual({
      status: 'success',
      data: [],
    });
    expect((await get('/prometheus/api/v1/alertmanagers')).body.data).toEqual({
      activeAlertmanagers: [{ url: 'http://127.0.0.1:9093/api/v2/alerts' }],
      droppedAlertmanagers: [],
    });
  });

  it('federate, at the root and under the prefix, in the text format', async () => {
    for (const path of ['/federate', '/prometheus/federate']) {
      const res = await get(`${path}?match[]=queue_depth`);
      expect(res.status).toBe(200);
      expect(res.headers.get('content-type')).toBe('text/plain; version=0.0.4; charset=utf-8');
      expect(res.body).toBe(
        '# TYPE queue_depth untyped\n' +
          `queue_depth{job="efile",queue="filings",instance=""} 5 ${T0}\n` +
          `queue_depth{job="efile",queue="refunds",instance=""} 2 ${T0}\n`,
      );
    }
    expect((await get('/federate?match[]=rate(x[5m])')).status).toBe(400);
  });
});
