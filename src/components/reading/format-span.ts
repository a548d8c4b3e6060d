/** A length of time in words ("45 minutes", "2.5 hours"), in the page's language. */

/**
 * Minutes up to two hours, hours to one decimal above.
 *
 * @example
 * ```ts
 * formatSpan(3_600_000, 'en'); // '60 minutes'
 * ```
 */
export function formatSpan(ms: number, locale: string): string {
  const minutes = ms / 60_000;
  const [value, unit] = minutes <= 120 ? [minutes, 'minute'] : [minutes / 60, 'hour'];
  return new Intl.NumberFormat(locale, {
    style: 'unit',
    unit,
    unitDisplay: 'long',
    maximumFractionDigits: unit === 'hour' ? 1 : 0,
  }).format(value);
}
