/** The order an on-call reads alerts in: firing before pending, paging severities first, oldest first. */
import type { AlertInfo } from '../../sdk/types.js';
import { STATUS_RANK } from '../../shared/status.js';
import { severityLook } from './severity-look.js';

/**
 * Sorts a copy of `alerts`; `kpi` keeps only that KPI's alerts when given.
 *
 * @example
 * ```ts
 * orderAlerts(feed.alerts(), 'efile-error-rate');
 * ```
 */
export function orderAlerts(alerts: readonly AlertInfo[], kpi?: string): AlertInfo[] {
  return alerts
    .filter((a) => a.state !== 'resolved' && (!kpi || a.kpi === kpi))
    .sort(
      (a, b) =>
        Number(a.state !== 'firing') - Number(b.state !== 'firing') ||
        // Worst first: the status rank read backwards.
        STATUS_RANK[severityLook(b.severity)] - STATUS_RANK[severityLook(a.severity)] ||
        Date.parse(a.activeAt) - Date.parse(b.activeAt) ||
        a.id.localeCompare(b.id),
    );
}
