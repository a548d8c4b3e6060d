/** Whether a light's reading can be trusted now, and if not, the words that say why. */
import { isStale } from '../../sdk/reading-freshness.js';
import type { KpiReading } from '../../sdk/types.js';
import { clockTime } from './relative-time.js';

/** What a light shows about how fresh its reading is. */
export interface Freshness {
  /** True when the value may no longer be true: stale on the server, or the stream broke. */
  readonly stale: boolean;
  /** Why the light is stale or unknown, in words; `undefined` for a fresh, known reading. */
  readonly why: string | undefined;
}

/**
 * Judges one reading at `now` (ms), given when the stream broke (`null` when it is up).
 *
 * @example
 * ```ts
 * readingFreshness(reading, feed.disconnectedSince, Date.now(), 'en').why;
 * // 'Stale: connection lost, no update since 2:05 PM'
 * ```
 */
export function readingFreshness(
  reading: Pick<KpiReading, 'evaluatedAt' | 'status' | 'stale' | 'staleAfter'> & {
    readonly reason?: string;
  },
  disconnectedSince: number | null,
  now: number,
  locale: string,
): Freshness {
  const since = clockTime(Date.parse(reading.evaluatedAt), locale);
  if (disconnectedSince !== null) {
    return { stale: true, why: `Stale: connection lost, no update since ${since}` };
  }
  // The SDK's one rule: the server's mark, or the clock past `staleAfter`.
  if (isStale(reading, now)) {
    return { stale: true, why: `Stale: no update since ${since}` };
  }
  if (reading.status === 'unknown') {
    return { stale: false, why: `Unknown: ${reading.reason ?? 'no data'}` };
  }
  return { stale: false, why: undefined };
}
