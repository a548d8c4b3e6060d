/** Burn-rate alerts: the workbook's windows scaled to the budget window, and their PromQL on the embedded engine. */
import { describe, expect, it } from 'vitest';
import {
  policyWith,
  readingOf,
  recordingChannels,
  ruleOf,
  startAlerting,
} from '#test-support/alerting-fixture.js';
import { manualTimers } from '#test-support/manual-timers.js';
import { useTempDatabase } from '#test-support/temp-database.js';
import type { KpiDefinition } from '../policy/types.js';
import { PromqlEngine } from '../promql/index.js';
import { createEmbeddedSource } from '../source/embedded-source.js';
import { createHead } from '../store/memory-head.js';
import { burnRateQuery, burnWindows, errorRatioQuery, stepFor } from './burn-rate.js';

const DAY = 86_400_000;
const STEP = 15_000;
const T0 = 1_700_000_000_000;
const END = T0 + 2 * 3_600_000;
const temp = useTempDatabase('kpi-alerts-burn-');

const errors: KpiDefinition = {
  id: 'efile-errors',
  title: 'E-file error rate',
  description: undefined,
  query: 'sum by (agency) (rate(errors_total[1m])) / sum by (agency) (rate(requests_total[1m]))',
  unit: 'percent',
  thresholds: { warning: 0.01, critical: 0.03 },
  direction: 'higher-is-worse',
  objective: 0.99,
  budgetWindowMs: 7 * DAY,
  by: ['agency'],
  runbook: undefined,
};

/** Two hours of counters: IRS fails 20 %, SSA 5 %. */
function source() {
  const head = createHead({ retentionMs: Number.POSITIVE_INFINITY });
  const counter = (name: string, agency: string, perStep: number) => {
    const ref = head.getOrCreate({ __name__: name, agency });
    for (let t = T0, v = 0; t <= END; t += STEP, v += perStep) head.append(ref, t, v);
  };
  for (const [agency, failing] of [
    ['IRS', 20],
    ['SSA', 5],
  ] as const) {
    counter('requests_total', agency, 100);
    counter('errors_total', agency, failing);
  }
  return createEmbeddedSource(new PromqlEngine(head));
}

async function burning(kpi: KpiDefinition, speed: 'page' | 'ticket') {
  const r = await source().instant(burnRateQuery(kpi, speed, STEP), END);
  if (r.resultType !== 'vector') throw new Error(r.resultType);
  return Object.fromEntries(
    r.result.map((s) => [s.metric.agency, Math.round(s.point[1] * 100) / 100]),
  );
}

describe('burn-rate alerts', () => {
  it("keeps the workbook's table for 30 days and scales its windows, not its factors", () => {
    expect(burnWindows('page', 30 * DAY)).toEqual([
      { factor: 14.4, longMs: 3_600_000, shortMs: 300_000 },
      { factor: 6, longMs: 21_600_000, shortMs: 1_800_000 },
    ]);
    expect(burnWindows('ticket', 30 * DAY)).toEqual([
      { factor: 1, longMs: 3 * DAY, shortMs: 21_600_000 },
    ]);
    expect(burnWindows('page', 7 * DAY)[0]).toEqual({
      factor: 14.4,
      longMs: 840_000,
      shortMs: 70_000,
    });
    expect(stepFor(70_000, STEP)).toBe(15_000);
    expect(stepFor(30_000, STEP)).toBe(7_000);
    expect(stepFor(3 * DAY, STEP)).toBe(360_000);
  });

  it('maps each kind of KPI to an error ratio the way the error budget counts it', () => {
    expect(errorRatioQuery(errors, 3_600_000, STEP)).toBe(
      `avg_over_time(clamp((${errors.query}), 0, 1)[1h:15s])`,
    );
    const good = {
      ...errors,
      direction: 'lower-is-worse' as const,
      query: 'fast_ratio',
      thresholds: { warning: 0.99, critical: 0.95 },
    };
    expect(errorRatioQuery(good, 3_600_000, STEP)).toBe(
      '(1 - avg_over_time(clamp((fast_ratio), 0, 1)[1h:15s]))',
    );
    const latency = {
      ...errors,
      unit: 'seconds' as const,
      query: 'p99',
      thresholds: { warning: 1, critical: 2 },
    };
    expect(errorRatioQuery(latency, 3_600_000, STEP)).toBe(
      'avg_over_time(((p99) >= bool 2)[1h:15s])',
    );
    expect(burnRateQuery({ ...errors, budgetWindowMs: 30 * DAY }, 'page', STEP)).toMatch(
      /^\(.* \/ 0\.01 > 14\.4 and .* \/ 0\.01 > 14\.4\) or \(.* > 6 and .* > 6\)$/,
    );
  });

  it('on the embedded engine: a 20× burn pages, a 5× burn only files a ticket', async () => {
    expect(await burning(errors, 'page')).toEqual({ IRS: 20 });
    expect(await burning(errors, 'ticket')).toEqual({ IRS: 20, SSA: 5 });
  });

  it('a burn-rate rule fires per group and says how much budget is left', async () => {
    const timers = manualTimers(END);
    const ch = recordingChannels(timers);
    const rule = ruleOf({
      name: 'EfileBudget',
      condition: { kind: 'burn-rate', kpi: errors.id, speed: 'page' },
      forMs: 0,
      severity: 'critical',
      summary: undefined,
    });
    const core = startAlerting(
      temp.db,
      policyWith([rule], undefined, [errors]),
      timers,
      ch.send,
      source(),
    );
    const reading = readingOf(0.2, errors, {
      budget: { objective: 0.99, window: '7d', remaining: 0.42 },
    });
    await core.evaluate([reading], END);
    expect(
      core.current().map((a) => [a.labels.agency, a.state, a.budgetRemaining, a.summary]),
    ).toEqual([
      [
        'IRS',
        'firing',
        0.42,
        'E-file error rate burns its error budget 20× as fast as allowed; 42 % left',
      ],
    ]);
    await core.stop();
  });
});
