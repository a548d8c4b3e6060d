/** Inhibition: a firing critical alert mutes the warnings of the same KPI and group. */
import type { AlertInstance } from './alert-instance.js';

/**
 * The ids of the alerts muted by inhibition: each `warning` alert of a KPI whose same group
 * (the KPI's `by:` labels) has a firing `critical` alert, from any rule. A burn-rate page is
 * critical and a ticket a warning, so a page mutes the ticket too. Query alerts name no KPI
 * and are never inhibited.
 *
 * @example
 * ```ts
 * inhibitedIds(store.all()).has(warningAlert.id); // true while the critical one fires
 * ```
 */
export function inhibitedIds(alerts: readonly AlertInstance[]): Set<string> {
  const critical = new Set<string>();
  for (const a of alerts) {
    if (a.kpi !== undefined && a.state === 'firing' && a.labels.severity === 'critical') {
      critical.add(`${a.kpi} ${a.group}`);
    }
  }
  const out = new Set<string>();
  for (const a of alerts) {
    if (
      a.kpi !== undefined &&
      a.labels.severity === 'warning' &&
      critical.has(`${a.kpi} ${a.group}`)
    ) {
      out.add(a.id);
    }
  }
  return out;
}
