/** Multiwindow, multi-burn-rate alerts of the SRE workbook, as PromQL over a KPI's own query. */

import { formatDuration } from '../../shared/duration.js';
import { burnWindows } from '../policy/burn-windows.js';
import type { KpiDefinition } from '../policy/types.js';

// The window table is the policy's vocabulary (the policy checks it against the retention).
export { BURN_WINDOWS, type BurnWindow, burnWindows } from '../policy/burn-windows.js';

/** Most points a window's subquery evaluates; longer windows take a coarser step. */
const MAX_POINTS = 720;

/** Fewest points a window's subquery evaluates; a short scaled window takes a finer step. */
const MIN_POINTS = 4;

/**
 * The subquery step for a window: the evaluation interval; coarser (a multiple of it) when that
 * gives more than 720 points, finer (whole seconds) when it gives fewer than 4, as a 5 m window
 * scaled to a 7-day budget (70 s) would.
 */
export function stepFor(windowMs: number, intervalMs: number): number {
  if (windowMs < intervalMs * MIN_POINTS) {
    return Math.max(1_000, Math.floor(windowMs / MIN_POINTS / 1_000) * 1_000);
  }
  return Math.max(1, Math.ceil(windowMs / intervalMs / MAX_POINTS)) * intervalMs;
}

/**
 * The KPI's error ratio over a window, counted the way its error budget is
 * (`src/server/kpi/error-budget.ts`), so a burn rate and the budget left agree:
 *
 * - a `percent` or `ratio` KPI is averaged over the window (clamped to 0…1); a
 *   `higher-is-worse` one (an error rate) is the error ratio itself, a `lower-is-worse` one
 *   ("filings under 2 s") is a good ratio, so the error ratio is `1 −` its average;
 * - any other unit (a latency) counts the fraction of the window spent at or past `critical`.
 *
 * @example
 * ```ts
 * errorRatioQuery(kpi, 3_600_000, 15_000); // 'avg_over_time(clamp((…), 0, 1)[1h:15s])'
 * ```
 */
export function errorRatioQuery(
  kpi: Pick<KpiDefinition, 'query' | 'unit' | 'direction' | 'thresholds'>,
  windowMs: number,
  intervalMs: number,
): string {
  const range = `[${formatDuration(windowMs)}:${formatDuration(stepFor(windowMs, intervalMs))}]`;
  const lowerIsWorse = kpi.direction === 'lower-is-worse';
  if (kpi.unit === 'percent' || kpi.unit === 'ratio') {
    const mean = `avg_over_time(clamp((${kpi.query}), 0, 1)${range})`;
    return lowerIsWorse ? `(1 - ${mean})` : mean;
  }
  const op = lowerIsWorse ? '<=' : '>=';
  return `avg_over_time(((${kpi.query}) ${op} bool ${kpi.thresholds.critical})${range})`;
}

/**
 * The whole alert condition as one PromQL expression: for each window pair, the long and the
 * short window both burn faster than the factor; any pair is enough. Its value is the long
 * window's burn rate (error ratio / allowed error ratio), one series per KPI group.
 *
 * @example
 * ```ts
 * burnRateQuery(kpi, 'page', 15_000);
 * // '(… / 0.01 > 14.4 and … / 0.01 > 14.4) or (… / 0.01 > 6 and … / 0.01 > 6)'
 * ```
 */
export function burnRateQuery(
  kpi: Pick<
    KpiDefinition,
    'query' | 'unit' | 'direction' | 'thresholds' | 'objective' | 'budgetWindowMs'
  >,
  speed: 'page' | 'ticket',
  intervalMs: number,
): string {
  // 1 - 0.99 is 0.010000000000000009 in floating point; the rule should read 0.01.
  const allowed = Number((1 - (kpi.objective ?? 0)).toPrecision(12));
  const burn = (ms: number) => `${errorRatioQuery(kpi, ms, intervalMs)} / ${allowed}`;
  return burnWindows(speed, kpi.budgetWindowMs)
    .map((w) => `(${burn(w.longMs)} > ${w.factor} and ${burn(w.shortMs)} > ${w.factor})`)
    .join(' or ');
}
