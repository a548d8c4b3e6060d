/** A length of time in words ("45 seconds", "45 minutes", "2.5 hours", "30 days"), in the page's language. */
import { numberFormat } from './intl-formats.js';

/**
 * Seconds under a minute (so a short breach does not read "0 minutes"), minutes up to two
 * hours, hours to one decimal up to two days, days to one decimal above (an SLO's 30 days).
 *
 * @example
 * ```ts
 * formatSpan(3_600_000, 'en'); // '60 minutes'
 * formatSpan(40_000, 'en'); // '40 seconds'
 * formatSpan(30 * 86_400_000, 'en'); // '30 days'
 * ```
 */
export function formatSpan(ms: number, locale: string): string {
  const minutes = ms / 60_000;
  const [value, unit] =
    ms > 0 && ms < 60_000
      ? [ms / 1000, 'second']
      : minutes <= 120
        ? [minutes, 'minute']
        : minutes <= 2_880
          ? [minutes / 60, 'hour']
          : [minutes / 1_440, 'day'];
  return numberFormat(locale, {
    style: 'unit',
    unit,
    unitDisplay: 'long',
    maximumFractionDigits: unit === 'hour' || unit === 'day' ? 1 : 0,
  }).format(value);
}
