/** The chart's `show="budget"` view: a KPI's error budget burned down over its window, with bands where it runs low and is spent. */
import type { KpiReading } from '../../sdk/types.js';
import { readDuration } from '../../shared/duration.js';
import { BUDGET_LOW, BUDGET_WORDS, budgetLook, formatShare } from '../reading/budget-look.js';
import { formatSpan } from '../reading/format-span.js';
import { appendReading, type ChartData } from './chart-data.js';
import type { ChartScale, ChartView } from './chart-view.js';
import { timeInBands } from './summarize-chart.js';

/** A share of the budget: low below a quarter (the warning band), spent at 0 (the critical band). */
const BUDGET_SCALE: ChartScale = {
  unit: 'percent',
  thresholds: { warning: BUDGET_LOW, critical: 0 },
  direction: 'lower-is-worse',
};

/** The reading's budget as a point of the chart: its share left, in its look. */
function budgetPoint(reading: KpiReading): KpiReading | undefined {
  const remaining = reading.budget?.remaining;
  if (remaining === undefined) return undefined;
  return { ...reading, value: remaining, status: budgetLook(remaining).look, groups: undefined };
}

/**
 * "Error budget: 62% left now (Healthy); 100% at the first point, lowest 62%; time in each
 * state: Healthy 28 days, Low 2 days, Spent 0 minutes."
 *
 * @example
 * ```ts
 * summarizeBudget(data, 'en-US');
 * ```
 */
export function summarizeBudget(data: ChartData, locale: string): string {
  const line = data.lines[0];
  const shown = line?.v.flatMap((v, i) => (v === null ? [] : [{ v, i }])) ?? [];
  if (line === undefined || shown.length === 0) return 'Error budget: nothing counted yet.';
  const latest = shown[shown.length - 1];
  const lowest = Math.min(...shown.map((p) => p.v));
  // From the first point to the last, which is now: a budget's last point does not stand for a
  // bucket to come, as a value chart's does.
  const spent = timeInBands(data.t, line.status, 0);
  const states = (['ok', 'warning', 'critical'] as const)
    .map((s) => `${BUDGET_WORDS[s]} ${formatSpan(spent[s], locale)}`)
    .join(', ');
  return (
    `Error budget: ${formatShare(latest.v, locale)} left now (${BUDGET_WORDS[line.status[latest.i]]}); ` +
    `${formatShare(shown[0].v, locale)} at the first point, lowest ${formatShare(lowest, locale)}; ` +
    `time in each state: ${states}.`
  );
}

/**
 * The burn-down of `kpi`'s error budget over its window (`GET /api/v1/kpis/:id/budget`),
 * extended with each reading's budget. A KPI with no objective has no budget: loading says so.
 *
 * @example
 * ```ts
 * const view = budgetView('efile-fast-filings');
 * ```
 */
export function budgetView(kpi: string): ChartView {
  let windowMs = 0;
  const append = (data: ChartData, reading: KpiReading) => {
    const point = budgetPoint(reading);
    return point === undefined ? data : appendReading(data, point, windowMs);
  };
  return {
    key: () => `${kpi}\nbudget`,
    async load(client, reading) {
      if (reading.objective === undefined) {
        throw new Error(`${reading.title} has no objective, so no error budget`);
      }
      const history = await client.budgetHistory(kpi);
      windowMs = history.to - history.from;
      const data: ChartData = {
        t: [...history.t],
        lines: [
          {
            label: 'Budget left',
            v: [...history.remaining],
            status: history.remaining.map((r) => budgetLook(r).look),
          },
        ],
        step: history.step,
      };
      return append(data, reading);
    },
    append,
    scale: () => BUDGET_SCALE,
    title(reading, locale) {
      const ms = reading?.budget === undefined ? undefined : readDuration(reading.budget.window).ms;
      const span = ms === undefined ? '' : `, last ${formatSpan(ms, locale)}`;
      return `${reading?.title ?? kpi}: error budget${span}`;
    },
    summary: (data, _reading, locale) => summarizeBudget(data, locale),
    cell: (value, status, _reading, locale) =>
      `${value === null ? '—' : formatShare(value, locale)} (${BUDGET_WORDS[status]})`,
  };
}
