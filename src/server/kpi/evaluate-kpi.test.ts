/** One KPI through a fixed-answer QuerySource: values, groups, and every unknown reason. */
import { describe, expect, it } from 'vitest';
import type { TargetHealth } from '../../sdk/types.js';
import type { InstantSample, QueryResult } from '../promql/result.js';
import { QueryError } from '../source/query-error.js';
import type { QuerySource } from '../source/query-source.js';
import { evaluateKpi, type KpiQuerySpec } from './evaluate-kpi.js';

const T = 1_700_000_000_000;

/** The seam: answers every query with a fixed result, or throws a fixed error. */
function fixed(answer: QueryResult | Error): QuerySource {
  const run = () => (answer instanceof Error ? Promise.reject(answer) : Promise.resolve(answer));
  return { instant: run, range: run };
}

const vector = (...samples: [Record<string, string>, number][]): QueryResult => ({
  resultType: 'vector',
  result: samples.map(([metric, v]): InstantSample => ({ metric, point: [T, v] })),
});

const kpi = (over: Partial<KpiQuerySpec> = {}): KpiQuerySpec => ({
  query: 'sum(rate(http_requests_total{service="efile",status=~"5.."}[1m]))',
  thresholds: { warning: 0.01, critical: 0.03 },
  direction: 'higher-is-worse',
  by: [],
  ...over,
});

const target = (
  labels: Record<string, string>,
  health: TargetHealth['health'],
  url = 'http://127.0.0.1:8001/metrics',
): TargetHealth => ({
  url,
  job: labels.service ?? 'kpi-lights',
  labels,
  health,
  lastScrape: null,
  lastDurationMs: null,
  lastSampleCount: null,
  lastError: health === 'down' ? 'connection refused' : null,
  lastLatenessMs: null,
  missedSlots: null,
});

describe('evaluateKpi', () => {
  it('takes the value of a scalar or of a one-series vector', async () => {
    const scalar: QueryResult = { resultType: 'scalar', result: [T, 0.02] };
    expect(await evaluateKpi(kpi(), fixed(scalar), T)).toEqual({
      value: 0.02,
      status: 'warning',
      warnings: [],
      failed: false,
    });
    const one = await evaluateKpi(kpi(), fixed(vector([{}, 0.03])), T);
    expect([one.value, one.status]).toEqual([0.03, 'critical']);
  });

  it('says no data for an empty vector or NaN, and stale target when its target is down', async () => {
    const empty = await evaluateKpi(kpi(), fixed(vector()), T);
    expect([empty.value, empty.status, empty.reason]).toEqual([null, 'unknown', 'no data']);
    const nan = await evaluateKpi(kpi(), fixed(vector([{}, Number.NaN])), T);
    expect([nan.value, nan.reason]).toEqual([null, 'no data']);

    const down = [target({ service: 'efile', agency: 'IRS' }, 'down')];
    const stale = await evaluateKpi(kpi(), fixed(vector()), T, { targets: down });
    expect([stale.status, stale.reason]).toEqual(['unknown', 'stale target']);
    expect(stale.warnings).toEqual([
      'target http://127.0.0.1:8001/metrics (job efile) is down: connection refused; its series are missing from the value',
    ]);
  });

  it('ignores down targets the query cannot read from', async () => {
    const other = [target({ service: 'payroll' }, 'down'), target({ service: 'efile' }, 'up')];
    const out = await evaluateKpi(kpi(), fixed(vector()), T, { targets: other });
    expect(out.reason).toBe('no data');
    expect(out.warnings).toEqual([]);
  });

  it('keeps the value but warns when data comes and a target it reads is down', async () => {
    const targets = [
      target({ service: 'efile', agency: 'IRS' }, 'up'),
      target({ service: 'efile', agency: 'SSA' }, 'down', 'http://10.0.0.2/metrics'),
    ];
    const out = await evaluateKpi(kpi(), fixed(vector([{}, 0.001])), T, { targets });
    expect([out.value, out.status, out.reason]).toEqual([0.001, 'ok', undefined]);
    expect(out.warnings).toHaveLength(1);
    expect(out.warnings[0]).toMatch(/^target http:\/\/10\.0\.0\.2\/metrics \(job efile\) is down/);
  });

  it('turns query errors into unknown with the message, and never throws', async () => {
    const bad = await evaluateKpi(kpi(), fixed(new QueryError('bad_data', 'parse error at 4')), T);
    expect(bad).toEqual({
      value: null,
      status: 'unknown',
      reason: 'query error: parse error at 4',
      warnings: [],
      failed: true,
    });
    const matrix: QueryResult = { resultType: 'matrix', result: [] };
    expect((await evaluateKpi(kpi(), fixed(matrix), T)).reason).toMatch(/^query error: .*range/);
  });

  it('refuses to pick one of several series without by:', async () => {
    const out = await evaluateKpi(kpi(), fixed(vector([{ a: '1' }, 0], [{ a: '2' }, 1])), T);
    expect(out.status).toBe('unknown');
    expect(out.reason).toBe(
      'query error: query returned 2 series; aggregate it (e.g. sum(…)) or set by:',
    );
  });

  it('gives one light per group and the worst group to the KPI', async () => {
    const answer = vector(
      [{ agency: 'SSA' }, 0.001],
      [{ agency: 'IRS' }, 0.05],
      [{ agency: 'VA' }, 0.02],
      [{ agency: 'DOL' }, Number.NaN],
    );
    const out = await evaluateKpi(kpi({ by: ['agency'] }), fixed(answer), T);
    expect(out.groups).toEqual([
      { labels: { agency: 'DOL' }, value: null, status: 'unknown', reason: 'no data' },
      { labels: { agency: 'IRS' }, value: 0.05, status: 'critical' },
      { labels: { agency: 'SSA' }, value: 0.001, status: 'ok' },
      { labels: { agency: 'VA' }, value: 0.02, status: 'warning' },
    ]);
    // The unknown DOL group does not hide IRS's critical.
    expect([out.value, out.status, out.reason]).toEqual([0.05, 'critical', undefined]);
  });

  it('lets an unknown group outrank ok ones, and picks the lowest value when lower is worse', async () => {
    const spec = kpi({ by: ['agency'] });
    const greyed = await evaluateKpi(
      spec,
      fixed(vector([{ agency: 'A' }, 0], [{ agency: 'B' }, Number.NaN])),
      T,
    );
    expect([greyed.status, greyed.reason]).toEqual(['unknown', 'no data']);
    const fast = kpi({
      by: ['agency'],
      direction: 'lower-is-worse',
      thresholds: { warning: 0.995, critical: 0.99 },
    });
    const out = await evaluateKpi(
      fast,
      fixed(vector([{ agency: 'A' }, 0.98], [{ agency: 'B' }, 0.95], [{ agency: 'C' }, 1])),
      T,
    );
    expect([out.value, out.status]).toEqual([0.95, 'critical']);
  });

  it('shows a down agency as a stale group instead of dropping it', async () => {
    const targets = [target({ service: 'efile', agency: 'VA' }, 'down')];
    const out = await evaluateKpi(
      kpi({ by: ['agency'] }),
      fixed(vector([{ agency: 'IRS' }, 0])),
      T,
      {
        targets,
      },
    );
    expect(out.groups).toEqual([
      { labels: { agency: 'IRS' }, value: 0, status: 'ok' },
      { labels: { agency: 'VA' }, value: null, status: 'unknown', reason: 'stale target' },
    ]);
    expect([out.status, out.reason]).toEqual(['unknown', 'stale target']);
  });

  it('marks a group with several series as a query error, and an empty result as no data', async () => {
    const out = await evaluateKpi(
      kpi({ by: ['agency'] }),
      fixed(vector([{ agency: 'IRS', pod: '1' }, 0], [{ agency: 'IRS', pod: '2' }, 0])),
      T,
    );
    expect(out.groups?.[0].reason).toBe(
      'query error: 2 series for agency="IRS"; aggregate them, e.g. sum by (agency) (…)',
    );
    const none = await evaluateKpi(kpi({ by: ['agency'] }), fixed(vector()), T);
    expect([none.status, none.reason, none.groups]).toEqual(['unknown', 'no data', []]);
  });

  it('times out a query that never answers, even one deaf to its signal', async () => {
    const hanging: QuerySource = {
      instant: () => new Promise<QueryResult>(() => {}),
      range: () => new Promise<QueryResult>(() => {}),
    };
    const started = Date.now();
    const out = await evaluateKpi(kpi(), hanging, T, { timeoutMs: 50 });
    expect(Date.now() - started).toBeLessThan(1_000);
    expect(out.reason).toBe('query error: timed out after 50 ms');
    expect(out.failed).toBe(true);
  });

  it('stops waiting when the caller aborts', async () => {
    const hanging: QuerySource = {
      instant: () => new Promise<QueryResult>(() => {}),
      range: () => new Promise<QueryResult>(() => {}),
    };
    const ctrl = new AbortController();
    const pending = evaluateKpi(kpi(), hanging, T, { signal: ctrl.signal });
    ctrl.abort();
    expect((await pending).reason).toBe('query error: query canceled');
    const already = await evaluateKpi(kpi(), hanging, T, { signal: AbortSignal.abort() });
    expect(already.reason).toBe('query error: query canceled');
  });
});
