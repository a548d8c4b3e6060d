/** An error budget in words and a look: how much of which window is left, and whether that is healthy, low or spent. */
import type { KpiBudget, KpiStatus } from '../../sdk/types.js';
import { readDuration } from '../../shared/duration.js';
import { formatSpan } from './format-span.js';
import { numberFormat } from './intl-formats.js';

/** Under this share of the window's budget left, the budget is low. */
export const BUDGET_LOW = 0.25;

/** A budget's state: its word, and the status whose shape and colours it is drawn in. */
export interface BudgetLook {
  readonly word: 'Healthy' | 'Low' | 'Spent' | 'No data yet';
  readonly look: KpiStatus;
}

/**
 * The word for each look a budget can have: a chart's table and summary name its points' states
 * with these.
 */
export const BUDGET_WORDS: Readonly<Record<KpiStatus, BudgetLook['word']>> = {
  ok: 'Healthy',
  warning: 'Low',
  critical: 'Spent',
  unknown: 'No data yet',
};

/**
 * The state of a budget with `remaining` left (a share; `undefined` when nothing counted yet):
 * spent at or below 0 (a square), low under {@link BUDGET_LOW} (a triangle), else healthy (a
 * circle), as the light's own status is drawn, so it is never told by colour alone.
 *
 * @example
 * ```ts
 * budgetLook(0.12); // { word: 'Low', look: 'warning' }
 * ```
 */
export function budgetLook(remaining: number | undefined): BudgetLook {
  const look: KpiStatus =
    remaining === undefined || !Number.isFinite(remaining)
      ? 'unknown'
      : remaining <= 0
        ? 'critical'
        : remaining < BUDGET_LOW
          ? 'warning'
          : 'ok';
  return { word: BUDGET_WORDS[look], look };
}

/**
 * A share of a budget, as a percentage to one decimal: "62.5%".
 *
 * @example
 * ```ts
 * formatShare(0.625, 'en-US'); // '62.5%'
 * ```
 */
export function formatShare(share: number, locale: string): string {
  return numberFormat(locale, { style: 'percent', maximumFractionDigits: 1 }).format(share);
}

/**
 * The budget in words: "budget: 62% left of 30 days", or when overspent "budget: overspent by
 * 20% in 30 days".
 *
 * @example
 * ```ts
 * describeBudget({ remaining: 0.62, window: '30d' }, 'en-US'); // 'budget: 62% left of 30 days'
 * ```
 */
export function describeBudget(
  budget: Pick<KpiBudget, 'remaining' | 'window'>,
  locale: string,
): string {
  const ms = readDuration(budget.window).ms;
  const span = ms === undefined ? budget.window : formatSpan(ms, locale);
  return budget.remaining < 0
    ? `budget: overspent by ${formatShare(-budget.remaining, locale)} in ${span}`
    : `budget: ${formatShare(budget.remaining, locale)} left of ${span}`;
}
