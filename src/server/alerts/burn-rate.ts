/** Multiwindow, multi-burn-rate alerts of the SRE workbook, as PromQL over a KPI's own query. */

import { formatDuration } from '../../shared/duration.js';
import type { KpiDefinition } from '../policy/types.js';

/** One window pair: both must burn faster than `factor` for the alert to hold. */
export interface BurnWindow {
  /** Budget-burn speed: 1 spends the budget exactly over the budget window. */
  readonly factor: number;
  readonly longMs: number;
  readonly shortMs: number;
}

const HOUR = 3_600_000;
const MINUTE = 60_000;
const REFERENCE_WINDOW_MS = 30 * 24 * HOUR;

/**
 * The SRE workbook's recommended table (chapter "Alerting on SLOs", for a 30-day budget): a page
 * when 2 % of the budget goes in an hour (14.4×, over 1 h and 5 m) or 5 % in six hours (6×,
 * over 6 h and 30 m); a ticket when 10 % goes in three days (1×, over 3 d and 6 h). The short
 * window, 1/12 of the long one, makes the alert stop soon after the burn stops.
 */
export const BURN_WINDOWS: Readonly<Record<'page' | 'ticket', readonly BurnWindow[]>> = {
  page: [
    { factor: 14.4, longMs: HOUR, shortMs: 5 * MINUTE },
    { factor: 6, longMs: 6 * HOUR, shortMs: 30 * MINUTE },
  ],
  ticket: [{ factor: 1, longMs: 72 * HOUR, shortMs: 6 * HOUR }],
};

/** Most points a window's subquery evaluates; longer windows take a coarser step. */
const MAX_POINTS = 720;

/**
 * The windows for a budget window: the table's windows scaled by `budgetWindow / 30d`, in whole
 * seconds. The factors stay: a factor is a speed, the same for any window length.
 *
 * @example
 * ```ts
 * burnWindows('page', 7 * 86_400_000)[0]; // { factor: 14.4, longMs: 840_000, shortMs: 70_000 }
 * ```
 */
export function burnWindows(speed: 'page' | 'ticket', budgetWindowMs: number): BurnWindow[] {
  const scale = budgetWindowMs / REFERENCE_WINDOW_MS;
  const scaled = (ms: number) => Math.max(1_000, Math.round((ms * scale) / 1_000) * 1_000);
  return BURN_WINDOWS[speed].map((w) => ({
    factor: w.factor,
    longMs: scaled(w.longMs),
    shortMs: scaled(w.shortMs),
  }));
}

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
