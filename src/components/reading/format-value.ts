/** A KPI value written in its unit, in the page's language. */
import type { KpiUnit } from '../../sdk/types.js';
import { numberFormat } from './intl-formats.js';

const BYTE_UNITS = ['byte', 'kilobyte', 'megabyte', 'gigabyte', 'terabyte'] as const;

/**
 * Formats a value in its unit with `Intl`. `percent` values are fractions (0.0123 → `1.23%`);
 * `null` and non-finite values read as an em dash, which the light explains beside it.
 *
 * @example
 * ```ts
 * formatValue(0.0123, 'percent', 'en-US'); // '1.23%'
 * formatValue(0.42, 'seconds', 'de');      // '0,42 s'
 * ```
 */
export function formatValue(value: number | null, unit: KpiUnit, locale: string): string {
  if (value === null || !Number.isFinite(value)) return '—';
  switch (unit) {
    case 'percent':
      return numberFormat(locale, { style: 'percent', maximumFractionDigits: 2 }).format(value);
    case 'ratio':
      return numberFormat(locale, { maximumFractionDigits: 3 }).format(value);
    case 'seconds':
      return unitFormat(locale, 'second', value, 3);
    case 'milliseconds':
      return unitFormat(locale, 'millisecond', value, 1);
    case 'count':
      return numberFormat(locale, { maximumFractionDigits: 0 }).format(value);
    case 'per_second':
      // Intl has no "per second" for a bare count, so the rate sign is written out.
      return `${numberFormat(locale, { maximumFractionDigits: 2 }).format(value)}/s`;
    case 'bytes': {
      let scaled = value;
      let step = 0;
      while (Math.abs(scaled) >= 1000 && step < BYTE_UNITS.length - 1) {
        scaled /= 1000;
        step += 1;
      }
      return unitFormat(locale, BYTE_UNITS[step], scaled, 1);
    }
  }
}

function unitFormat(locale: string, unit: string, value: number, digits: number): string {
  return numberFormat(locale, {
    style: 'unit',
    unit,
    unitDisplay: 'short',
    maximumFractionDigits: digits,
  }).format(value);
}
