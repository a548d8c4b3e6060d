/** "2 minutes ago": how long ago a reading was taken, in the page's language. */
import { dateTimeFormat } from './intl-formats.js';

const STEPS: readonly [Intl.RelativeTimeFormatUnit, number][] = [
  ['second', 60],
  ['minute', 60],
  ['hour', 24],
  ['day', Number.POSITIVE_INFINITY],
];

/**
 * Writes the time from `then` to `now` (both ms since the epoch) in the largest whole unit.
 *
 * @example
 * ```ts
 * relativeTime(Date.now() - 120_000, Date.now(), 'en'); // '2 minutes ago'
 * ```
 */
export function relativeTime(then: number, now: number, locale: string): string {
  const format = new Intl.RelativeTimeFormat(locale, { numeric: 'auto' });
  let amount = Math.round((then - now) / 1000);
  for (const [unit, size] of STEPS) {
    if (Math.abs(amount) < size) return format.format(amount, unit);
    amount = Math.round(amount / size);
  }
  return format.format(amount, 'day');
}

/**
 * A clock time for "no update since …", short enough for a compact light.
 *
 * @example
 * ```ts
 * clockTime(Date.parse('2026-04-15T14:05:00Z'), 'en-US'); // '2:05 PM' in a UTC browser
 * ```
 */
export function clockTime(at: number, locale: string): string {
  return dateTimeFormat(locale, { timeStyle: 'short' }).format(at);
}
