/** A KPI's thresholds and direction as one sentence a manager can read. */
import type { KpiReading } from '../../sdk/types.js';
import { formatValue } from './format-value.js';

/**
 * Says where the light changes and which way is worse.
 *
 * @example
 * ```ts
 * describeThresholds(reading, 'en-US'); // 'Warning at 1%, critical at 3%; higher is worse'
 * ```
 */
export function describeThresholds(
  reading: Pick<KpiReading, 'thresholds' | 'unit' | 'direction'>,
  locale: string,
): string {
  const warning = formatValue(reading.thresholds.warning, reading.unit, locale);
  const critical = formatValue(reading.thresholds.critical, reading.unit, locale);
  const way = reading.direction === 'lower-is-worse' ? 'lower is worse' : 'higher is worse';
  return `Warning at ${warning}, critical at ${critical}; ${way}`;
}
