/** The server's one rule for when a KPI reading must not be acted on: `stale` and `staleAfter`. */
import type { KpiReading } from '../../sdk/types.js';
import { isDownTargetWarning } from './down-targets.js';

/** A reading before (or after) its staleness was judged. */
export type UnjudgedReading = Omit<KpiReading, 'stale' | 'staleAfter'> &
  Partial<Pick<KpiReading, 'stale' | 'staleAfter'>>;

/**
 * Judges a reading at `nowMs`. `staleAfter` is `evaluatedAt` + 2 × `intervalMs` when the
 * interval is given, else the reading's own (a reading without either is stale at once). `stale`
 * is true when a target behind the KPI is down (reason or group reason `stale target`, or a
 * down-target warning) or when `nowMs` is past `staleAfter`: two missed rounds mean the loop or
 * its data has stopped, and old numbers must not drive an autoscaler.
 *
 * @example
 * ```ts
 * judgeStaleness(reading, Date.now(), policy.evaluation.intervalMs).stale; // false when fresh
 * judgeStaleness(reading, Date.now()).stale; // re-judged against its own staleAfter
 * ```
 */
export function judgeStaleness(
  reading: UnjudgedReading,
  nowMs: number,
  intervalMs?: number,
): KpiReading {
  const due = Date.parse(reading.evaluatedAt) + 2 * (intervalMs ?? 0);
  const staleAfter =
    intervalMs !== undefined && Number.isFinite(due)
      ? new Date(due).toISOString()
      : (reading.staleAfter ?? reading.evaluatedAt);
  const targetDown =
    reading.reason === 'stale target' ||
    (reading.groups?.some((g) => g.reason === 'stale target') ?? false) ||
    (reading.warnings?.some(isDownTargetWarning) ?? false);
  // NaN (an unreadable time) fails the comparison, so it counts as stale.
  const current = nowMs <= Date.parse(staleAfter);
  return { ...reading, stale: targetDown || !current, staleAfter };
}
