/** A length of time in words ("45 seconds", "45 minutes", "2.5 hours"), in the page's language. */
import { numberFormat } from './intl-formats.js';

/**
 * Seconds under a minute (so a short breach does not read "0 minutes"), minutes up to two
 * hours, hours to one decimal above.
 *
 * @example
 * ```ts
 * formatSpan(3_600_000, 'en'); // '60 minutes'
 * formatSpan(40_000, 'en'); // '40 seconds'
 * ```
 */
export function formatSpan(ms: number, locale: string): string {
  const minutes = ms / 60_000;
  const [value, unit] =
    ms > 0 && ms < 60_000
      ? [ms / 1000, 'second']
      : minutes <= 120
        ? [minutes, 'minute']
        : [minutes / 60, 'hour'];
  return numberFormat(locale, {
    style: 'unit',
    unit,
    unitDisplay: 'long',
    maximumFractionDigits: unit === 'hour' ? 1 : 0,
  }).format(value);
}
