/** Every transition of the alert state machine, `for`, `keep_firing_for` and each no-data policy, on a made-up clock. */
import { describe, expect, it } from 'vitest';
import type { KpiReading } from '../../sdk/types.js';
import type { AlertRule, KpiDefinition } from '../policy/types.js';
import type { AlertInstance } from './alert-instance.js';
import { stepRule } from './alert-states.js';
import { observeKpi, observeQuery } from './rule-observations.js';

const T0 = Date.UTC(2026, 3, 15, 12);
const kpi: KpiDefinition = {
  id: 'efile-error-rate',
  title: 'E-file error rate',
  description: undefined,
  query: 'x',
  unit: 'percent',
  thresholds: { warning: 0.01, critical: 0.03 },
  direction: 'higher-is-worse',
  objective: undefined,
  budgetWindowMs: 30 * 86_400_000,
  by: [],
  runbook: 'https://runbooks.example.gov/efile',
};

function rule(over: Partial<AlertRule> = {}): AlertRule {
  return {
    name: 'EfileErrors',
    condition: { kind: 'kpi', kpi: kpi.id, when: 'critical' },
    forMs: 60_000,
    keepFiringForMs: 0,
    noData: 'hold',
    severity: 'critical',
    labels: {},
    summary: '{{ $kpi }} at {{ $value }}',
    description: undefined,
    runbook: undefined,
    notify: [],
    ...over,
  };
}

function reading(value: number | null, over: Partial<KpiReading> = {}): KpiReading {
  const status =
    value === null ? 'unknown' : value >= 0.03 ? 'critical' : value >= 0.01 ? 'warning' : 'ok';
  return {
    id: kpi.id,
    title: kpi.title,
    unit: 'percent',
    direction: 'higher-is-worse',
    thresholds: kpi.thresholds,
    value,
    status,
    evaluatedAt: '',
    policyVersion: 1,
    stale: false,
    staleAfter: '',
    ...over,
  };
}

/** Runs rounds of 15 s: each value (or reading) is one round; returns the alerts after each. */
function run(r: AlertRule, values: (number | null | KpiReading)[], start: AlertInstance[] = []) {
  let alerts = start;
  return values.map((v, i) => {
    const read = typeof v === 'object' && v !== null ? v : reading(v);
    alerts = stepRule(
      { rule: r, kpi, budgetRemaining: undefined, nowMs: T0 + i * 15_000, policyVersion: 1 },
      observeKpi(read, r.condition.kind === 'kpi' ? r.condition.when : 'critical'),
      alerts,
    );
    return alerts;
  });
}
const states = (rounds: AlertInstance[][]) =>
  rounds.map((a) => a.map((x) => x.state).join() || '-');

describe('alert states', () => {
  it('inactive → pending → firing after `for` → resolved', () => {
    const rounds = run(rule(), [0, 0.05, 0.05, 0.05, 0.05, 0.05, 0]);
    expect(states(rounds)).toEqual([
      '-',
      'pending',
      'pending',
      'pending',
      'pending',
      'firing',
      'resolved',
    ]);
    const fired = rounds[5][0];
    expect(fired.activeAt).toBe(T0 + 15_000);
    expect(fired.firedAt).toBe(T0 + 75_000);
    expect(fired.texts.summary).toBe('E-file error rate at 5 %');
    expect(fired.texts.runbook).toBe(kpi.runbook);
    expect(fired.labels).toEqual({ alertname: 'EfileErrors', severity: 'critical', kpi: kpi.id });
    expect(fired.threshold).toBe(0.03);
    expect(rounds[6][0].resolvedAt).toBe(T0 + 90_000);
  });

  it('a pending alert whose condition stops is dropped, never fired', () => {
    expect(states(run(rule(), [0.05, 0.05, 0.02, 0.05]))).toEqual([
      'pending',
      'pending',
      '-',
      'pending',
    ]);
  });

  it('for: 0 fires at once; a resolved alert that comes back starts again', () => {
    const rounds = run(rule({ forMs: 0 }), [0.05, 0, 0.05]);
    expect(states(rounds)).toEqual(['firing', 'resolved', 'firing']);
    expect(rounds[2][0].activeAt).toBe(T0 + 30_000);
  });

  it('keep_firing_for holds a firing alert after the condition stops', () => {
    const r = rule({ forMs: 0, keepFiringForMs: 30_000 });
    // Counted from the first round it stopped holding (15 s): still firing at 30 s, not at 45 s.
    expect(states(run(r, [0.05, 0, 0, 0, 0.05]))).toEqual([
      'firing',
      'firing',
      'firing',
      'resolved',
      'firing',
    ]);
    // Active again inside the window: the same firing, no new notice.
    const back = run(r, [0.05, 0, 0.05, 0, 0]);
    expect(states(back)).toEqual(['firing', 'firing', 'firing', 'firing', 'firing']);
    expect(back[4][0].firedAt).toBe(T0);
  });

  it('no data, hold: nothing moves, and `for` counts on from when it became active', () => {
    const r = rule({ noData: 'hold' });
    expect(states(run(r, [0.05, null, null, null, null, 0.05]))).toEqual([
      'pending',
      'pending',
      'pending',
      'pending',
      'pending',
      'firing',
    ]);
    expect(states(run(rule({ forMs: 0 }), [0.05, null, null]))).toEqual([
      'firing',
      'firing',
      'firing',
    ]);
  });

  it('no data, ok: counts as inactive', () => {
    expect(states(run(rule({ noData: 'ok', forMs: 0 }), [0.05, null]))).toEqual([
      'firing',
      'resolved',
    ]);
  });

  it('no data, alert: counts as active, value null, even with no alert before', () => {
    const rounds = run(rule({ noData: 'alert', forMs: 30_000 }), [null, null, null]);
    expect(states(rounds)).toEqual(['pending', 'pending', 'firing']);
    expect(rounds[2][0].value).toBeNull();
    expect(rounds[2][0].texts.summary).toBe('E-file error rate at no data');
  });

  it('a stale reading is no data, not ok', () => {
    const r = rule({ forMs: 0, noData: 'hold' });
    expect(states(run(r, [0.05, reading(0, { stale: true })]))).toEqual(['firing', 'firing']);
  });

  it('a KPI with by: gives one alert per group', () => {
    const grouped = { ...kpi, by: ['agency'] };
    const read = (irs: number, ssa: number) =>
      reading(Math.max(irs, ssa), {
        groups: [
          { labels: { agency: 'IRS' }, value: irs, status: irs >= 0.03 ? 'critical' : 'ok' },
          { labels: { agency: 'SSA' }, value: ssa, status: ssa >= 0.03 ? 'critical' : 'ok' },
        ],
      });
    let alerts: AlertInstance[] = [];
    const step = (r: KpiReading, i: number) => {
      alerts = stepRule(
        {
          rule: rule({ forMs: 0, summary: '{{ $labels.agency }}' }),
          kpi: grouped,
          budgetRemaining: undefined,
          nowMs: T0 + i,
          policyVersion: 1,
        },
        observeKpi(r, 'critical'),
        alerts,
      );
      return alerts.map((a) => `${a.labels.agency}:${a.state}:${a.texts.summary}`);
    };
    expect(step(read(0.05, 0), 0)).toEqual(['IRS:firing:IRS']);
    expect(step(read(0.05, 0.05), 1)).toEqual(['IRS:firing:IRS', 'SSA:firing:SSA']);
    expect(step(read(0, 0.05), 2)).toEqual(['IRS:resolved:IRS', 'SSA:firing:SSA']);
    expect(alerts[1].group).toBe('agency="SSA"');
  });

  it('a query rule: one alert per series; an empty result resolves; a failed query is no data', () => {
    const r = rule({
      condition: { kind: 'query', query: 'up == 0' },
      forMs: 0,
      summary: '{{ $labels.job }} down',
    });
    const step = (obs: ReturnType<typeof observeQuery>, prev: AlertInstance[]) =>
      stepRule(
        { rule: r, kpi: undefined, budgetRemaining: undefined, nowMs: T0, policyVersion: 1 },
        obs,
        prev,
      );
    const down = step(
      observeQuery({
        resultType: 'vector',
        result: [{ metric: { __name__: 'up', job: 'efile' }, point: [T0, 0] }],
      }),
      [],
    );
    expect(down.map((a) => [a.state, a.labels.job, a.labels.__name__, a.texts.summary])).toEqual([
      ['firing', 'efile', undefined, 'efile down'],
    ]);
    expect(step(observeQuery(new Error('timeout')), down)[0].state).toBe('firing');
    expect(step(observeQuery({ resultType: 'vector', result: [] }), down)[0].state).toBe(
      'resolved',
    );
  });
});
