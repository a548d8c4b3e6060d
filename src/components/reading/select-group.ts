/** Picks one group of a `by:` KPI by its key (`agency="IRS"`) or by a label value (`IRS`). */

import type { KpiGroupReading, KpiReading } from '../../sdk/types.js';
import { groupKey } from '../../shared/group-key.js';

/** The key the server files a group under, e.g. `agency="IRS"`, for history requests. */
export function keyOfGroup(group: KpiGroupReading): string {
  return groupKey(group.labels, Object.keys(group.labels));
}

/**
 * The group a `group` attribute names: its exact key, or the one group with that label value.
 *
 * @example
 * ```ts
 * selectGroup(reading, 'IRS')?.labels; // { agency: 'IRS' }
 * ```
 */
export function selectGroup(reading: KpiReading, group: string): KpiGroupReading | undefined {
  const groups = reading.groups ?? [];
  return (
    groups.find((g) => keyOfGroup(g) === group) ??
    groups.find((g) => Object.values(g.labels).includes(group))
  );
}
