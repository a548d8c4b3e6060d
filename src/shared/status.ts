/** A KPI value and its thresholds → the light: ok, warning, critical or unknown. */
import type { Direction, KpiStatus, KpiThresholds, UnknownReason } from '../sdk/types.js';

/** A light and, when it is `unknown`, why. */
export interface StatusOutcome {
  readonly status: KpiStatus;
  readonly reason?: UnknownReason;
}

/**
 * How bad each status is, for picking the worst of several: a known problem outranks not
 * knowing (a group without data must not hide a critical one), and not knowing outranks ok (a
 * grey group must not be painted green by the others). The history store ranks the same way.
 */
export const STATUS_RANK: Readonly<Record<KpiStatus, number>> = {
  ok: 0,
  unknown: 1,
  warning: 2,
  critical: 3,
};

/** The statuses by rank, best first: `STATUS_BY_RANK[STATUS_RANK[s]] === s`. */
export const STATUS_BY_RANK: readonly KpiStatus[] = ['ok', 'unknown', 'warning', 'critical'];

/**
 * The light for one value. Thresholds are inclusive: a value exactly at `critical` is critical,
 * exactly at `warning` is warning, in both directions.
 *
 * - `null` and NaN are `unknown` with reason `no data`. NaN is what PromQL gives for `0/0`, e.g.
 *   an error ratio over a window with no requests at all: there is no measurement, so green
 *   would claim health nobody saw and red would page a quiet night. Grey says exactly that.
 * - ±Infinity are ordinary, comparable values: `+Inf` is what `histogram_quantile` returns when
 *   the quantile falls in the `+Inf` bucket (slower than every bound), which is past any
 *   threshold of a higher-is-worse KPI, so critical; for lower-is-worse it is ok.
 *
 * @example
 * ```ts
 * statusOf(0.03, { warning: 0.01, critical: 0.03 }); // { status: 'critical' }
 * statusOf(0.99, { warning: 0.995, critical: 0.99 }, 'lower-is-worse'); // { status: 'critical' }
 * statusOf(Number.NaN, { warning: 1, critical: 2 }); // { status: 'unknown', reason: 'no data' }
 * ```
 */
export function statusOf(
  value: number | null,
  thresholds: KpiThresholds,
  direction: Direction = 'higher-is-worse',
): StatusOutcome {
  if (value === null || Number.isNaN(value)) return { status: 'unknown', reason: 'no data' };
  const past =
    direction === 'lower-is-worse'
      ? (limit: number) => value <= limit
      : (limit: number) => value >= limit;
  if (past(thresholds.critical)) return { status: 'critical' };
  if (past(thresholds.warning)) return { status: 'warning' };
  return { status: 'ok' };
}

/**
 * True when `a` is worse than `b`: a worse status, or the same known status with a value
 * further past the thresholds in the KPI's direction.
 *
 * @example
 * ```ts
 * isWorse({ status: 'critical', value: 1 }, { status: 'unknown', value: null }); // true
 * ```
 */
export function isWorse(
  a: { readonly status: KpiStatus; readonly value: number | null },
  b: { readonly status: KpiStatus; readonly value: number | null },
  direction: Direction = 'higher-is-worse',
): boolean {
  const rank = STATUS_RANK[a.status] - STATUS_RANK[b.status];
  if (rank !== 0) return rank > 0;
  if (a.value === null || b.value === null) return false;
  return direction === 'lower-is-worse' ? a.value < b.value : a.value > b.value;
}
