/** The ticket burn-rate alert (1× over 3 d and 6 h) on 3 d of backfilled samples: embedded, and exported to promtool, firing at the same evaluation. */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { runCli, servedUrl } from '#test-support/cli-process.js';
import { waitFor } from '#test-support/wait-for.js';
import type { AlertInfo } from '../../src/sdk/types.js';
import { exportPrometheus } from '../../src/server/alerts/config-export/index.js';
import { parsePolicy } from '../../src/server/policy/index.js';
import { PromqlEngine } from '../../src/server/promql/index.js';
import { createEmbeddedSource } from '../../src/server/source/embedded-source.js';
import { openHead } from '../../src/server/store/open-head.js';
import { havePromtool, seriesText } from '../promql/oracle/promtool-unit-test.js';
import { promtoolValues } from '../promql/oracle/random-series.js';
import { ourAlertTimes } from './our-alert-times.js';

const SAMPLE_MS = 60_000;
const DAY_MS = 86_400_000;
const POINTS = (3.5 * DAY_MS) / SAMPLE_MS + 1;
/** 4m10s: see the policy's comment. */
const EVAL_MS = 250_000;

/**
 * The workbook's own windows: a 30 d budget makes the ticket tier 1× over 3 d and 6 h. promtool
 * is Prometheus 2.42, whose ranges hold a point exactly on their left edge, where we (and
 * Prometheus 3) do not. So nothing here sits on an edge: evaluations every 4m10s make the 3 d
 * window's subquery step 8m20s, which 3 d is no multiple of (nor 6 h of 4m10s), and the KPI's
 * `[5m5s]` rate, read at multiples of 10 s, never starts on the 1 m sample grid.
 */
const POLICY = `kpis:
  - id: efile-error-rate
    title: E-file error rate
    query: sum(rate(req_total{status="500"}[5m5s])) / sum(rate(req_total[5m5s]))
    unit: percent
    thresholds: { warning: 0.01, critical: 0.03 }
    objective: 0.999
    budget_window: 30d
alerts:
  - name: EfileBudgetTicket
    kpi: efile-error-rate
    burn_rate: ticket
    no_data: ok
evaluation: { interval: 4m10s }
`;

/**
 * Cumulative counters, one sample a minute for 3½ days: 1 000 requests a minute; 0.05 % errors
 * for 2½ days, 0.3 % from then until 3.3 d, none after. The 3 d window passes 0.1 % (1×) only
 * once it holds 3 d of samples (at about 3.1 d; on 2 h, or on whatever is there, it would fire
 * earlier), and the 6 h window stops it after the errors stop.
 */
function errorsPerMinute(i: number): number {
  const day = (i * SAMPLE_MS) / DAY_MS;
  if (day <= 2.5) return 0.5;
  return day <= 3.3 ? 3 : 0;
}
const err500: number[] = [];
const ok200: number[] = [];
for (let i = 0, errs = 0; i < POINTS; i++) {
  if (i > 0) errs += errorsPerMinute(i);
  err500.push(errs);
  ok200.push(1000 * i - errs);
}
const SERIES = [
  { labels: { __name__: 'req_total', status: '200' }, values: ok200 },
  { labels: { __name__: 'req_total', status: '500' }, values: err500 },
];

/** The same samples as OpenMetrics, starting at `startMs`, up to `untilMs`. */
function openMetrics(startMs: number, untilMs = Number.POSITIVE_INFINITY): string {
  const lines = ['# TYPE req counter'];
  for (const s of SERIES) {
    const text = seriesText(s.labels);
    for (const [i, v] of s.values.entries()) {
      const t = startMs + i * SAMPLE_MS;
      if (t <= untilMs) lines.push(`${text} ${v} ${t / 1000}`);
    }
  }
  return `${lines.join('\n')}\n# EOF\n`;
}

const dirs: string[] = [];
afterAll(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

const ok = havePromtool();
if (!ok) console.warn('ticket burn-rate comparison skipped: promtool is not on PATH');

/** promtool's verdict on the exported rules, with alert states expected at `times` (from 0). */
function promtoolAgrees(
  dir: string,
  times: { firedAt: number; resolvedAt: number; labels: Readonly<Record<string, string>> },
): string {
  const policy = parsePolicy(POLICY, 'p.yaml');
  writeFileSync(join(dir, 'rules.yml'), exportPrometheus(policy).rules);
  const { alertname: _, ...labels } = times.labels;
  const firing = [{ exp_labels: labels }];
  const at = (ms: number, exp_alerts: unknown[]) => ({
    eval_time: `${ms / 1000}s`,
    alertname: 'EfileBudgetTicket',
    exp_alerts,
  });
  const unitTest = {
    rule_files: ['rules.yml'],
    evaluation_interval: `${EVAL_MS / 1000}s`,
    tests: [
      {
        interval: `${SAMPLE_MS / 1000}s`,
        input_series: SERIES.map((s) => ({
          series: seriesText(s.labels),
          values: promtoolValues(s.values),
        })),
        alert_rule_test: [
          at(times.firedAt - EVAL_MS, []),
          at(times.firedAt, firing),
          at(times.resolvedAt - EVAL_MS, firing),
          at(times.resolvedAt, []),
        ],
      },
    ],
  };
  writeFileSync(join(dir, 'rules.test.yml'), stringify(unitTest, { lineWidth: 0 }));
  const r = spawnSync('promtool', ['test', 'rules', join(dir, 'rules.test.yml')], {
    encoding: 'utf8',
    timeout: 60_000,
  });
  return `${r.stdout ?? ''}${r.stderr ?? ''}`;
}

describe.skipIf(!ok)('a ticket burn-rate alert over 3 d of backfilled samples', () => {
  it('fires embedded, from the chunk files, at the evaluation promtool fires the exported rule', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'kpi-ticket-'));
    dirs.push(dir);
    // Four days back, on a multiple of every step here, so the evaluations line up with promtool's.
    const align = 3_000_000;
    const startMs = Math.floor((Date.now() - 4 * DAY_MS) / align) * align;
    writeFileSync(join(dir, 'history.om'), openMetrics(startMs));
    const dataDir = join(dir, 'data');
    const imported = await runCli(
      ['import', 'openmetrics', join(dir, 'history.om'), '--data-dir', dataDir],
      {},
      'node',
    ).done;
    expect(imported.code, imported.stderr).toBe(0);

    // What a starting server does: replay the folder, then evaluate over it.
    const opened = openHead({ storage: { dir: join(dataDir, 'samples') }, log: () => {} });
    let ours: Awaited<ReturnType<typeof ourAlertTimes>>;
    try {
      expect(opened.storage?.replay.samples).toBe(2 * POINTS);
      const engine = new PromqlEngine(opened.head, { lookbackDeltaMs: 300_000 });
      const policy = parsePolicy(POLICY, 'p.yaml');
      const untilMs = startMs + (POINTS - 1) * SAMPLE_MS;
      // Rounds from 2.9 d on, on promtool's grid: the burn is below 1× until 3 d, so earlier
      // rounds change no state, and an alert already firing at 2.9 d would fail the check below.
      const fromMs = startMs + Math.floor((2.9 * DAY_MS) / EVAL_MS) * EVAL_MS;
      ours = await ourAlertTimes(policy, createEmbeddedSource(engine), untilMs, fromMs);
    } finally {
      opened.close();
    }
    const t = ours.get('EfileBudgetTicket')!;
    expect(t.firedAt, 'the ticket alert fires').toBeDefined();
    expect(t.resolvedAt, 'and resolves').toBeDefined();
    const firedAt = t.firedAt! - startMs;
    const resolvedAt = t.resolvedAt! - startMs;
    // It needed the whole 3 d window: it fires after 3 d of samples, near the 3.1 d worked out above.
    expect(firedAt).toBeGreaterThan(3 * DAY_MS);
    expect(Math.abs(firedAt - 3.1 * DAY_MS)).toBeLessThan(EVAL_MS * 2);

    const output = promtoolAgrees(dir, { firedAt, resolvedAt, labels: t.labels ?? {} });
    expect(output, `ours: fired at ${firedAt} ms, resolved at ${resolvedAt} ms`).toContain(
      'SUCCESS',
    );
  }, 60_000);
});

describe('a server started on 3 d of backfilled samples', () => {
  it('fires the ticket alert on its first round', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'kpi-ticket-serve-'));
    dirs.push(dir);
    // Now is 3.2 d into the history: the errors have burned 1× for a while, and still do.
    const now = Date.now();
    const startMs = Math.floor((now - 3.2 * DAY_MS) / SAMPLE_MS) * SAMPLE_MS;
    writeFileSync(join(dir, 'history.om'), openMetrics(startMs, now - SAMPLE_MS));
    const dataDir = join(dir, 'data');
    const imported = await runCli(
      ['import', 'openmetrics', join(dir, 'history.om'), '--data-dir', dataDir],
      {},
      'node',
    ).done;
    expect(imported.code, imported.stderr).toBe(0);
    // Rounds every 15 s: the first comes within 15 s of the start, the next 15 s after it.
    writeFileSync(
      join(dir, 'kpi-lights.yaml'),
      `targets: []\n${POLICY.replace('evaluation: { interval: 4m10s }', 'evaluation: { interval: 15s }')}`,
    );
    const { child } = runCli(
      ['serve', '--config', join(dir, 'kpi-lights.yaml'), '--port', '0', '--data-dir', dataDir],
      {},
      'node',
    );
    try {
      const url = await servedUrl(child, 30_000);
      const rounds = async () => {
        const text = await (await fetch(`${url}/metrics`)).text();
        return Number(/^kpi_lights_evaluation_rounds_total (\d+)/m.exec(text)?.[1] ?? 0);
      };
      // The alert round follows the evaluation round; wait for the first that reports anything.
      const alerts = async () =>
        (await (await fetch(`${url}/api/v1/alerts`)).json()) as AlertInfo[];
      await waitFor(async () => (await alerts()).length > 0, { timeoutMs: 40_000, everyMs: 50 });
      const firing = await alerts();
      expect(await rounds(), 'still the first round').toBe(1);
      expect(firing.map((a) => `${a.name} ${a.state}`)).toEqual(['EfileBudgetTicket firing']);
      // The burn over the whole 3 d: (2.5 d at 0.05 % + 0.7 d at 0.3 %) / 3 d / 0.1 % ≈ 1.083;
      // over only the last hours it would read 3.
      expect(firing[0].value).toBeCloseTo(1.0833, 2);
    } finally {
      const exited = new Promise((r) => child.once('exit', r));
      child.kill('SIGTERM');
      await exited;
    }
  }, 60_000);
});
