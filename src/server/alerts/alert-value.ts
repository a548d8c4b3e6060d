/** An alert's value as people read it in a notice: percent KPIs in %, burn rates as a speed. */
import type { KpiUnit } from '../../sdk/types.js';

/** What follows a value of each unit, as kpi-lights writes it (`250 ms`, `3/s`). */
export const UNIT_SUFFIX: Partial<Record<KpiUnit, string>> = {
  seconds: ' s',
  milliseconds: ' ms',
  per_second: '/s',
  bytes: ' B',
};

/**
 * Formats a value with 4 significant digits; `percent` as a percentage, a burn rate as `14.4×`.
 *
 * @example
 * ```ts
 * formatAlertValue(0.0523, 'percent'); // '5.23 %'
 * formatAlertValue(14.4, 'burn'); // '14.4×'
 * formatAlertValue(null, 'seconds'); // 'no data'
 * ```
 */
export function formatAlertValue(value: number | null, unit: KpiUnit | 'burn' | undefined): string {
  if (value === null || Number.isNaN(value)) return 'no data';
  const short = (x: number) => (Number.isFinite(x) ? String(Number(x.toPrecision(4))) : String(x));
  if (unit === 'percent') return `${short(value * 100)} %`;
  if (unit === 'burn') return `${short(value)}×`;
  return `${short(value)}${unit ? (UNIT_SUFFIX[unit] ?? '') : ''}`;
}
