/** The client's word on whether a reading may be acted on now: `isStale` and `isActionable`. */
import type { KpiReading } from './types.js';

function toMs(now: Date | number): number {
  return typeof now === 'number' ? now : now.getTime();
}

/**
 * True when the reading must not be acted on for its age or its blindness: the server said
 * `stale` (a target behind it is down, or it was already past `staleAfter` when sent), or `now`
 * is past `staleAfter` (`evaluatedAt` + 2 × the evaluation interval). The second rule is what
 * makes a held reading go stale by itself when evaluation stops or a `watch` stays disconnected
 * for longer than two intervals: a live stream keeps renewing it, a lost one cannot.
 *
 * @example
 * ```ts
 * const r = await client.kpi('efile-latency');
 * if (isStale(r)) console.log(`stale since ${r.staleAfter}`);
 * ```
 */
export function isStale(
  reading: Pick<KpiReading, 'stale' | 'staleAfter'>,
  now: Date | number = Date.now(),
): boolean {
  // An unreadable staleAfter parses to NaN, the comparison fails, and the reading is stale.
  return reading.stale || !(toMs(now) <= Date.parse(reading.staleAfter));
}

/**
 * True when management code may act on the reading: it is not stale (see {@link isStale}) and
 * its status is known. An `unknown` light means no data, a down target or a failed query.
 *
 * @example
 * ```ts
 * if (isActionable(r) && r.status === 'critical') await addWorkers(2);
 * ```
 */
export function isActionable(
  reading: Pick<KpiReading, 'stale' | 'staleAfter' | 'status'>,
  now: Date | number = Date.now(),
): boolean {
  return reading.status !== 'unknown' && !isStale(reading, now);
}
