/** The evaluator over a fixed-answer QuerySource and a real history store. */
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { policyOf } from '#test-support/kpi-policy.js';
import { useTempDatabase } from '#test-support/temp-database.js';
import type { KpiReading, TargetHealth } from '../../sdk/types.js';
import { KpiHistoryStore } from '../history/kpi-history-store.js';
import type { KpiDefinition } from '../policy/types.js';
import { PromqlEngine } from '../promql/index.js';
import type { QueryResult } from '../promql/result.js';
import { createEmbeddedSource } from '../source/embedded-source.js';
import { QueryError } from '../source/query-error.js';
import type { QuerySource } from '../source/query-source.js';
import { createHead } from '../store/memory-head.js';
import { createKpiEvaluator } from './kpi-evaluator.js';

const T = 1_700_000_040_000;
let history: KpiHistoryStore;

const temp = useTempDatabase('kpi-eval-');
beforeEach(() => {
  history = new KpiHistoryStore(temp.db);
});
afterEach(() => {
  vi.useRealTimers();
});

function kpiDef(id: string, over: Partial<KpiDefinition> = {}): KpiDefinition {
  return {
    id,
    title: `KPI ${id}`,
    description: undefined,
    query: `${id.replace(/-/g, '_')}_value`,
    unit: 'ratio',
    thresholds: { warning: 0.01, critical: 0.03 },
    direction: 'higher-is-worse',
    objective: undefined,
    budgetWindowMs: 30 * 86_400_000,
    by: [],
    runbook: undefined,
    ...over,
  };
}

type Answer = QueryResult | Error | 'hang';

/** The seam: a QuerySource answering each query from a table the test edits. */
function tableSource(answers: Map<string, Answer>): QuerySource & { asked: string[] } {
  const asked: string[] = [];
  const instant = (expr: string) => {
    asked.push(expr);
    const a = answers.get(expr) ?? { resultType: 'vector', result: [] };
    if (a === 'hang') return new Promise<QueryResult>(() => {});
    return a instanceof Error ? Promise.reject(a) : Promise.resolve(a);
  };
  return { asked, instant, range: instant };
}

const one = (v: number, metric: Record<string, string> = {}): QueryResult => ({
  resultType: 'vector',
  result: [{ metric, point: [T, v] }],
});

describe('createKpiEvaluator', () => {
  it('evaluates every KPI, stamps version and time, and records each (and each group)', async () => {
    const answers = new Map<string, Answer>([
      ['errors_value', one(0.02)],
      [
        'by_agency_value',
        {
          resultType: 'vector',
          result: [
            { metric: { agency: 'IRS' }, point: [T, 0.05] },
            { metric: { agency: 'SSA' }, point: [T, 0] },
          ],
        },
      ],
    ]);
    const ev = createKpiEvaluator({
      source: tableSource(answers),
      history,
      policy: policyOf([
        kpiDef('errors', { runbook: 'https://runbooks.example.gov/errors' }),
        kpiDef('by-agency', { by: ['agency'] }),
      ]),
      policyVersion: 7,
    });
    const readings = await ev.evaluate(T);
    expect(readings[0]).toEqual({
      id: 'errors',
      title: 'KPI errors',
      unit: 'ratio',
      direction: 'higher-is-worse',
      thresholds: { warning: 0.01, critical: 0.03 },
      value: 0.02,
      status: 'warning',
      evaluatedAt: new Date(T).toISOString(),
      policyVersion: 7,
      runbook: 'https://runbooks.example.gov/errors',
      stale: false,
      staleAfter: new Date(T + 30_000).toISOString(),
    });
    expect(readings[1]).toMatchObject({ value: 0.05, status: 'critical', policyVersion: 7 });
    expect(readings[1].groups).toHaveLength(2);
    expect(ev.readings()).toEqual(readings);
    expect(ev.reading('by-agency')).toBe(readings[1]);

    const range = { from: T, to: T, stepMs: 1_000 };
    expect(history.query('errors', range)).toMatchObject({ v: [0.02], status: ['warning'] });
    expect(history.query('by-agency', range).status).toEqual(['critical']);
    expect(history.query('by-agency', { ...range, group: 'agency="SSA"' })).toMatchObject({
      v: [0],
      status: ['ok'],
    });
    expect(ev.stats()).toMatchObject({ rounds: 1, failures: 0 });
  });

  it('tells listeners only about readings that changed', async () => {
    const answers = new Map<string, Answer>([['errors_value', one(0.001)]]);
    const heard: KpiReading[] = [];
    let listening = true;
    const ev = createKpiEvaluator({
      source: tableSource(answers),
      history,
      policy: policyOf([kpiDef('errors')]),
      policyVersion: 1,
      onReading: (r) => {
        if (listening) heard.push(r);
      },
    });
    await ev.evaluate(T);
    await ev.evaluate(T + 15_000);
    await ev.evaluate(T + 30_000);
    expect(heard.map((r) => r.status)).toEqual(['ok']);
    answers.set('errors_value', one(0.05));
    await ev.evaluate(T + 45_000);
    await ev.evaluate(T + 60_000);
    answers.set('errors_value', new QueryError('execution', 'boom'));
    await ev.evaluate(T + 75_000);
    expect(heard.map((r) => [r.status, r.reason])).toEqual([
      ['ok', undefined],
      ['critical', undefined],
      ['unknown', 'query error: boom'],
    ]);
    expect(heard[1].evaluatedAt).toBe(new Date(T + 45_000).toISOString());
    listening = false;
    answers.set('errors_value', one(0));
    await ev.evaluate(T + 90_000);
    expect(heard).toHaveLength(3);
    expect(ev.reading('errors')?.status).toBe('ok');
  });

  it('hot-reloads the policy: removed KPIs vanish, history stays, readings name the new version', async () => {
    const answers = new Map<string, Answer>([
      ['a_value', one(0)],
      ['b_value', one(0.02)],
    ]);
    const source = tableSource(answers);
    const heard: KpiReading[] = [];
    const ev = createKpiEvaluator({
      source,
      history,
      policy: policyOf([kpiDef('a'), kpiDef('b')]),
      policyVersion: 1,
      onReading: (r) => heard.push(r),
    });
    await ev.evaluate(T);
    ev.setPolicy(policyOf([kpiDef('a', { title: 'A, renamed' })]), 2);
    expect(ev.reading('b')).toBeUndefined();
    expect(ev.readings().map((r) => r.id)).toEqual(['a']);
    source.asked.length = 0;
    await ev.evaluate(T + 15_000);
    expect(source.asked).toEqual(['a_value']);
    expect(ev.reading('a')).toMatchObject({ title: 'A, renamed', policyVersion: 2 });
    // The new title and version reach listeners even though the value did not move.
    expect(heard.map((r) => `${r.id}@${r.policyVersion}`)).toEqual(['a@1', 'b@1', 'a@2']);
    const past = history.query('b', { from: T, to: T + 15_000, stepMs: 15_000 });
    expect(past.v).toEqual([0.02, null]);
    expect(history.query('a', { from: T, to: T + 15_000, stepMs: 15_000 }).v).toEqual([0, 0]);
  });

  it('times out a hanging query without holding up the other KPIs', async () => {
    const answers = new Map<string, Answer>([
      ['slow_value', 'hang'],
      ['fast_value', one(0)],
      ['broken_value', new QueryError('bad_data', 'unexpected end of query')],
    ]);
    vi.useFakeTimers();
    const ev = createKpiEvaluator({
      source: tableSource(answers),
      history,
      policy: policyOf([kpiDef('slow'), kpiDef('fast'), kpiDef('broken')], 100),
      policyVersion: 1,
    });
    const started = Date.now();
    const round = ev.evaluate(T);
    await vi.advanceTimersByTimeAsync(100);
    const [slow, fast, broken] = await round;
    expect(Date.now() - started).toBeLessThan(2_000);
    expect([slow.status, slow.reason]).toEqual(['unknown', 'query error: timed out after 100 ms']);
    expect([fast.status, fast.value]).toEqual(['ok', 0]);
    expect(broken.reason).toBe('query error: unexpected end of query');
    expect(ev.stats().failures).toBe(2);
  });

  it('blames a down target for missing data, and warns when a target it reads is down', async () => {
    const health: TargetHealth[] = [
      {
        url: 'http://127.0.0.1:8001/metrics',
        job: 'efile',
        labels: { service: 'efile', agency: 'IRS' },
        health: 'down',
        lastScrape: null,
        lastDurationMs: 3,
        lastSampleCount: 0,
        lastError: 'connection refused',
        lastLatenessMs: null,
        missedSlots: null,
      },
    ];
    const answers = new Map<string, Answer>([['sum(up{job="efile"})', one(1)]]);
    const ev = createKpiEvaluator({
      // Target health comes through the seam, as it does from either real source.
      source: { ...tableSource(answers), targets: async () => health },
      history,
      policy: policyOf([
        kpiDef('missing', { query: 'sum(rate(http_requests_total{service="efile"}[1m]))' }),
        kpiDef('present', {
          query: 'sum(up{job="efile"})',
          thresholds: { warning: 2, critical: 3 },
        }),
      ]),
      policyVersion: 1,
    });
    const [missing, present] = await ev.evaluate(T);
    expect([missing.status, missing.reason]).toEqual(['unknown', 'stale target']);
    expect([present.status, present.value]).toEqual(['ok', 1]);
    expect(present.warnings).toEqual([
      'target http://127.0.0.1:8001/metrics (job efile) is down: connection refused; its series are missing from the value',
    ]);
  });

  it('adds the error budget and the selector lint to the reading', async () => {
    const head = createHead({ retentionMs: Number.POSITIVE_INFINITY });
    for (const name of [
      'http_request_duration_seconds_count',
      'http_request_duration_seconds_bucket',
    ]) {
      for (const le of name.endsWith('_bucket') ? ['0.5', '1', '5', '+Inf'] : [undefined]) {
        const ref = head.getOrCreate({ __name__: name, ...(le !== undefined && { le }) });
        head.append(ref, T - 30_000, 1);
      }
    }
    const query =
      'sum(rate(http_request_duration_seconds_bucket{le="2"}[5m])) / sum(rate(http_request_duration_seconds_count[5m]))';
    const answers = new Map<string, Answer>([[query, one(0.995)]]);
    const table = tableSource(answers);
    const engine = createEmbeddedSource(new PromqlEngine(head, {}), { head });
    const ev = createKpiEvaluator({
      // The KPI's answers come from the table; the lint's questions go to the head's engine.
      source: {
        ...engine,
        instant: (expr, time, opts) =>
          answers.has(expr) ? table.instant(expr, time) : engine.instant(expr, time, opts),
      },
      history,
      policy: policyOf([
        kpiDef('fast', {
          query,
          unit: 'percent',
          direction: 'lower-is-worse',
          thresholds: { warning: 0.995, critical: 0.99 },
          objective: 0.99,
        }),
      ]),
      policyVersion: 1,
    });
    await ev.evaluate(T - 15_000);
    answers.set(query, one(0.985));
    const [r] = await ev.evaluate(T);
    // Mean of 0.995 and 0.985 is 0.99: exactly the objective, the whole budget spent.
    expect(r.budget).toEqual({ objective: 0.99, window: '30d', remaining: 0, burned: 1 });
    expect(r.warnings).toEqual([
      'histogram http_request_duration_seconds has no bucket le="2" (has 0.5, 1, 5): that selector matches no series; use a scraped bound or add the bucket to the exporter',
    ]);
  });

  it('runs rounds on aligned slots until stopped, waiting for the round in flight', async () => {
    vi.useFakeTimers({ now: T + 7 });
    const answers = new Map<string, Answer>([['a_value', one(0)]]);
    const ev = createKpiEvaluator({
      source: tableSource(answers),
      history,
      policy: policyOf([kpiDef('a')], 40),
      policyVersion: 1,
      onReading: () => {},
    });
    const times: number[] = [];
    ev.start();
    ev.start(); // a second start is a no-op, not a second loop
    const heard = new Promise<void>((resolve) => {
      const poll = setInterval(() => {
        const r = ev.reading('a');
        if (r && !times.includes(Date.parse(r.evaluatedAt))) times.push(Date.parse(r.evaluatedAt));
        if (times.length >= 3) {
          clearInterval(poll);
          resolve();
        }
      }, 5);
    });
    await vi.advanceTimersByTimeAsync(200);
    await heard;
    await ev.stop();
    const rounds = ev.stats().rounds;
    for (const t of times) expect(t % 40).toBe(0);
    await vi.advanceTimersByTimeAsync(120);
    expect(ev.stats().rounds).toBe(rounds);
  });

  it('runs concurrent evaluate calls one round after another, and drops KPIs removed mid-round', async () => {
    vi.useFakeTimers();
    let inFlight = 0;
    let most = 0;
    const slow: QuerySource = {
      async instant() {
        inFlight++;
        most = Math.max(most, inFlight);
        await new Promise((r) => setTimeout(r, 20));
        inFlight--;
        return one(0);
      },
      range: () => Promise.reject(new Error('not used')),
    };
    const ev = createKpiEvaluator({
      source: slow,
      history,
      policy: policyOf([kpiDef('a'), kpiDef('b')]),
      policyVersion: 1,
    });
    const first = ev.evaluate(T);
    const second = ev.evaluate(T + 15_000);
    // Both KPIs of one round run together; the second round waits for the first.
    await vi.advanceTimersByTimeAsync(20);
    await first;
    await vi.advanceTimersByTimeAsync(5); // the second round is now under way
    ev.setPolicy(policyOf([kpiDef('a')]), 2);
    await vi.advanceTimersByTimeAsync(20);
    const late = await second;
    expect(most).toBe(2);
    expect(late.map((r) => r.id)).toEqual(['a', 'b']);
    expect(ev.reading('b')).toBeUndefined();
    expect(ev.readings().map((r) => r.id)).toEqual(['a']);
    expect(ev.stats().rounds).toBe(2);
    expect(ev.stats().lastRoundMs).toBeGreaterThan(10);
  });
});
