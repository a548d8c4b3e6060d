/** The evaluator through the real embedded PromQL engine over a head store with scraped-like samples. */
import { describe, expect, it } from 'vitest';
import { policyOf } from '#test-support/kpi-policy.js';
import { useTempDatabase } from '#test-support/temp-database.js';
import { KpiHistoryStore } from '../history/kpi-history-store.js';
import type { AlertRule, KpiDefinition } from '../policy/types.js';
import { PromqlEngine } from '../promql/index.js';
import { createEmbeddedSource } from '../source/embedded-source.js';
import { createHead } from '../store/memory-head.js';
import { createKpiEvaluator } from './kpi-evaluator.js';

const T0 = 1_700_000_000_000;
const STEP = 15_000;

const temp = useTempDatabase('kpi-embedded-');

/** Ten minutes of counters for two agencies: IRS fails 5 of every 105 requests, SSA none. */
function scrapedHead() {
  const head = createHead({ retentionMs: Number.POSITIVE_INFINITY });
  const counter = (labels: Record<string, string>, perStep: number) => {
    const ref = head.getOrCreate({ service: 'efile', ...labels });
    for (let i = 0; i <= 40; i++) head.append(ref, T0 + i * STEP, i * perStep);
  };
  for (const agency of ['IRS', 'SSA']) {
    counter({ __name__: 'http_requests_total', agency, status: '200' }, 100);
    counter({ __name__: 'http_requests_total', agency, status: '500' }, agency === 'IRS' ? 5 : 0);
    // Latency buckets 0.5, 1, 5: 90 % under 0.5 s, 99 % under 1 s, all under 5 s.
    const bucket = (le: string, n: number) =>
      counter({ __name__: 'http_request_duration_seconds_bucket', agency, le }, n);
    bucket('0.5', 90);
    bucket('1', 99);
    bucket('5', 100);
    bucket('+Inf', 100);
    counter({ __name__: 'http_request_duration_seconds_count', agency }, 100);
  }
  return head;
}

const base = {
  description: undefined,
  unit: 'percent',
  direction: 'higher-is-worse',
  objective: undefined,
  budgetWindowMs: 30 * 86_400_000,
  by: [],
  runbook: undefined,
} as const;

const kpis: KpiDefinition[] = [
  {
    ...base,
    id: 'efile-errors',
    title: 'E-file error rate',
    query: `sum by (agency) (rate(http_requests_total{service="efile",status=~"5.."}[1m]))
      / sum by (agency) (rate(http_requests_total{service="efile"}[1m]))`,
    thresholds: { warning: 0.01, critical: 0.03 },
    by: ['agency'],
  },
  {
    ...base,
    id: 'efile-under-1s',
    title: 'E-filings under 1 s',
    query: `sum(rate(http_request_duration_seconds_bucket{service="efile",le="1"}[5m]))
      / sum(rate(http_request_duration_seconds_count{service="efile"}[5m]))`,
    direction: 'lower-is-worse',
    thresholds: { warning: 0.995, critical: 0.98 },
    objective: 0.98,
  },
  {
    ...base,
    id: 'efile-under-2s',
    title: 'E-filings under 2 s',
    query: `sum(rate(http_request_duration_seconds_bucket{service="efile",le="2"}[5m]))
      / sum(rate(http_request_duration_seconds_count{service="efile"}[5m]))`,
    direction: 'lower-is-worse',
    thresholds: { warning: 0.995, critical: 0.99 },
  },
];

const policy = policyOf(kpis, STEP);

describe('createKpiEvaluator over the embedded engine', () => {
  it('computes groups, budgets and the bucket lint from real samples', async () => {
    const head = scrapedHead();
    const history = new KpiHistoryStore(temp.db);
    const ev = createKpiEvaluator({
      source: createEmbeddedSource(new PromqlEngine(head, {}), { head }),
      history,
      policy,
      policyVersion: 3,
    });
    const at = T0 + 30 * STEP;
    const [errors, under1s, under2s] = await ev.evaluate(at);

    expect(errors.status).toBe('critical');
    expect(errors.value).toBeCloseTo(5 / 105, 9);
    expect(errors.groups?.map((g) => [g.labels.agency, g.status])).toEqual([
      ['IRS', 'critical'],
      ['SSA', 'ok'],
    ]);

    // 99 of 100 under 1 s: warning, and the 2 % budget half spent on the first reading.
    expect(under1s.value).toBeCloseTo(0.99, 9);
    expect(under1s.status).toBe('warning');
    expect(under1s.budget).toEqual({ objective: 0.98, window: '30d', remaining: 0.5, burned: 0.5 });
    expect(under1s.warnings).toBeUndefined();

    // No bucket at 2 s: the selector is empty, the light grey, and the reading says why.
    expect([under2s.status, under2s.reason]).toEqual(['unknown', 'no data']);
    expect(under2s.warnings).toEqual([
      'histogram http_request_duration_seconds has no bucket le="2" (has 0.5, 1, 5): that selector matches no series; use a scraped bound or add the bucket to the exporter',
    ]);

    expect(history.groups('efile-errors')).toEqual(['', 'agency="IRS"', 'agency="SSA"']);
  });

  it('greys a KPI whose query times out and still evaluates the others of the round', async () => {
    const head = scrapedHead();
    const slow: KpiDefinition = {
      ...base,
      id: 'slow',
      title: 'A subquery at 1 ms steps over 13 h',
      query: 'max_over_time(sum(http_requests_total)[13h:1ms])',
      thresholds: { warning: 1, critical: 2 },
    };
    const ev = createKpiEvaluator({
      source: createEmbeddedSource(new PromqlEngine(head, {}), { head }),
      history: new KpiHistoryStore(temp.db),
      policy: policyOf([slow, kpis[0]], STEP),
      policyVersion: 1,
      // In process, the engine holds the event loop: only its own deadline can stop it. A
      // second, so that the cheap query of the same round fits even on a paused machine.
      queryTimeoutMs: 1_000,
    });
    const started = performance.now();
    const [timedOut, errors] = await ev.evaluate(T0 + 30 * STEP);
    expect([timedOut.status, timedOut.reason]).toEqual([
      'unknown',
      'query error: query timed out in expression evaluation',
    ]);
    expect(errors.status).toBe('critical');
    expect(ev.stats().failures).toBe(1);
    // 1 s of query, then the round. Unpolled, 46.8 M steps of subquery take minutes: the
    // bound is far from both, so a loaded machine cannot fail it.
    expect(performance.now() - started).toBeLessThan(20_000);
  });

  it("tells a query alert's lint warnings when they change, and when they clear", async () => {
    const head = scrapedHead();
    const told: [string, readonly string[]][] = [];
    const alert = (query: string): AlertRule => ({
      name: 'EfileServerErrors',
      condition: { kind: 'query', query },
      forMs: 0,
      keepFiringForMs: 0,
      noData: 'hold',
      severity: 'page',
      labels: {},
      summary: undefined,
      description: undefined,
      runbook: undefined,
      notify: [],
    });
    const withAlert = (query: string) => policyOf([kpis[0]], STEP, { alerts: [alert(query)] });
    const ev = createKpiEvaluator({
      source: createEmbeddedSource(new PromqlEngine(head, {}), { head }),
      history: new KpiHistoryStore(temp.db),
      policy: withAlert('sum(rate(http_requests_total{code=~"5.."}[1m])) > 0'),
      policyVersion: 1,
      lintEveryMs: 0,
      onAlertLint: (rule, warnings) => told.push([rule, warnings]),
    });
    await ev.evaluate(T0 + 30 * STEP);
    await ev.evaluate(T0 + 31 * STEP);
    expect(told).toEqual([
      [
        'EfileServerErrors',
        [
          'http_requests_total{code=~"5.."} can never match: http_requests_total has no label code (it has agency, service, status)',
        ],
      ],
    ]);
    ev.setPolicy(withAlert('sum(rate(http_requests_total{status=~"5.."}[1m])) > 0'), 2);
    await ev.evaluate(T0 + 32 * STEP);
    expect(told.at(-1)).toEqual(['EfileServerErrors', []]);
  });
});
