/** The exported Prometheus rules: valid for promtool and amtool, and firing at the same evaluation as ours. */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { exportPrometheus } from '../../src/server/alerts/config-export/index.js';
import { parsePolicy } from '../../src/server/policy/index.js';
import { PromqlEngine } from '../../src/server/promql/index.js';
import { createEmbeddedSource } from '../../src/server/source/embedded-source.js';
import { createHead } from '../../src/server/store/memory-head.js';
import { havePromtool, seriesText } from '../promql/oracle/promtool-unit-test.js';
import { promtoolValues } from '../promql/oracle/random-series.js';
import { ourAlertTimes } from './our-alert-times.js';

const INTERVAL_MS = 15_000;
const POINTS = 121; // 30 minutes

/**
 * An error-rate KPI with an objective, two kinds of rule on it, and a query rule. The budget
 * window is short so the burn-rate windows fit in half an hour. promtool is Prometheus 2.42,
 * whose ranges include a sample exactly at their left edge, where Prometheus 3 and we do not;
 * so the windows here stay off the 15 s grid: `rate(…[50s])`, and a budget window of 25h10m
 * that scales the workbook's windows to 126 s and 10 s, 755 s and 63 s. (The 10 s window's
 * 2 s step can still put a point on its edge, where 2.42 averages one point more; on this
 * data that moves no firing or resolving evaluation.)
 */
const POLICY = `kpis:
  - id: efile-error-rate
    title: E-file error rate
    query: sum(rate(req_total{status="500"}[50s])) / sum(rate(req_total[50s]))
    unit: percent
    thresholds: { warning: 0.01, critical: 0.03 }
    objective: 0.999
    budget_window: 25h10m
alerts:
  - name: EfileErrors
    kpi: efile-error-rate
    when: critical
    for: 1m
    keep_firing_for: 2m
    severity: page
    labels: { team: efile }
    no_data: ok
  - name: EfileBudgetBurn
    kpi: efile-error-rate
    burn_rate: page
    no_data: ok
  - name: TargetDown
    query: up == 0
    for: 30s
    no_data: hold
    severity: ticket
receivers:
  oncall:
    email: { to: oncall@example.gov, from: kpi@example.gov, smtp: "smtp://127.0.0.1:2525" }
  chat:
    webhook: { url: "http://127.0.0.1:9/hook" }
evaluation: { interval: 15s }
`;

/** Cumulative counters: 100 good requests per 15 s; 5 errors per 15 s from 5 to 15 minutes. */
const ok200 = Array.from({ length: POINTS }, (_, i) => 100 * i);
const err500 = Array.from({ length: POINTS }, (_, i) => 5 * Math.min(Math.max(i - 20, 0), 40));
const up = Array.from({ length: POINTS }, (_, i) => (i >= 30 && i < 40 ? 0 : 1));
const SERIES: { labels: Record<string, string>; values: number[] }[] = [
  { labels: { __name__: 'req_total', status: '200' }, values: ok200 },
  { labels: { __name__: 'req_total', status: '500' }, values: err500 },
  { labels: { __name__: 'up', job: 'efile' }, values: up },
];

const dirs: string[] = [];
afterAll(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

function exported(): { dir: string; rules: string; alertmanager: string } {
  const dir = mkdtempSync(join(tmpdir(), 'kpi-export-'));
  dirs.push(dir);
  const { rules, alertmanager } = exportPrometheus(parsePolicy(POLICY, 'p.yaml'));
  writeFileSync(join(dir, 'rules.yml'), rules);
  writeFileSync(join(dir, 'alertmanager.yml'), alertmanager);
  return { dir, rules, alertmanager };
}

const run = (cmd: string, args: string[]) => {
  const r = spawnSync(cmd, args, { encoding: 'utf8', timeout: 60_000 });
  return { status: r.status, output: `${r.stdout ?? ''}${r.stderr ?? ''}` };
};

const haveAmtool = spawnSync('amtool', ['--version']).status === 0;
if (!havePromtool()) console.warn('export tests skipped: promtool is not on PATH');

describe('kpi-lights export prometheus-rules', () => {
  it('writes recording rules, the three kinds of alert and their labels', () => {
    const { rules, alertmanager } = exported();
    expect(rules).toContain('record: kpi_lights:efile_error_rate');
    expect(rules).toContain('expr: kpi_lights:efile_error_rate >= 0.03');
    expect(rules).toMatch(/alert: EfileErrors\n\s+expr: .*\n\s+for: 1m\n\s+keep_firing_for: 2m/);
    expect(rules).toContain('avg_over_time(clamp((sum(rate(req_total{status="500"}[50s]))');
    expect(rules).toContain('- TargetDown: with no data');
    expect(alertmanager).not.toContain('TargetDown'); // it notifies nobody
    expect(alertmanager).toContain('smarthost: 127.0.0.1:2525');
  });

  it.skipIf(!havePromtool())('passes promtool check rules', () => {
    const { dir } = exported();
    const check = run('promtool', ['check', 'rules', join(dir, 'rules.yml')]);
    expect(check.output).toContain('SUCCESS: 4 rules found');
  });

  it.skipIf(!haveAmtool)('gives Alertmanager a configuration it accepts', () => {
    const { dir } = exported();
    const check = run('amtool', ['check-config', join(dir, 'alertmanager.yml')]);
    expect(check.output).toContain('SUCCESS');
  });

  it.skipIf(!havePromtool())(
    'fires and resolves at the same evaluation as ours on the same series (promtool test rules)',
    async () => {
      const head = createHead({ retentionMs: Number.POSITIVE_INFINITY });
      for (const s of SERIES) {
        const ref = head.getOrCreate(s.labels);
        for (const [i, v] of s.values.entries()) head.append(ref, i * INTERVAL_MS, v);
      }
      const source = createEmbeddedSource(new PromqlEngine(head, { lookbackDeltaMs: 300_000 }));
      const policy = parsePolicy(POLICY, 'p.yaml');
      const ours = await ourAlertTimes(policy, source, (POINTS - 1) * INTERVAL_MS);

      // Every rule fires and resolves in this data, so each comparison below means something.
      for (const [name, t] of ours) {
        expect(t.firedAt, `${name} fires`).toBeDefined();
        expect(t.resolvedAt, `${name} resolves`).toBeDefined();
      }
      const tests = [...ours].flatMap(([alertname, t]) => {
        const { alertname: _, ...labels } = t.labels ?? {};
        const firing = [{ exp_labels: labels }];
        const at = (ms: number, exp_alerts: unknown[]) => ({
          eval_time: `${ms / 1000}s`,
          alertname,
          exp_alerts,
        });
        return [
          at(t.firedAt! - INTERVAL_MS, []),
          at(t.firedAt!, firing),
          at(t.resolvedAt! - INTERVAL_MS, firing),
          at(t.resolvedAt!, []),
        ];
      });
      const { dir } = exported();
      const unitTest = {
        rule_files: ['rules.yml'],
        evaluation_interval: '15s',
        tests: [
          {
            interval: '15s',
            input_series: SERIES.map((s) => ({
              series: seriesText(s.labels),
              values: promtoolValues(s.values),
            })),
            alert_rule_test: tests,
          },
        ],
      };
      writeFileSync(join(dir, 'rules.test.yml'), stringify(unitTest, { lineWidth: 0 }));
      const result = run('promtool', ['test', 'rules', join(dir, 'rules.test.yml')]);
      const summary = [...ours].map(
        ([n, t]) => `${n}: fired ${t.firedAt} resolved ${t.resolvedAt}`,
      );
      expect(result.output, summary.join('\n')).toContain('SUCCESS');
    },
    60_000,
  );
});
