/** Whether two readings of a KPI say the same thing, so listeners hear only changes. */
import type { KpiReading } from '../../sdk/types.js';

function same(a: unknown, b: unknown): boolean {
  if (Object.is(a, b)) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  const ka = Object.keys(a).filter((k) => (a as Record<string, unknown>)[k] !== undefined);
  const kb = Object.keys(b).filter((k) => (b as Record<string, unknown>)[k] !== undefined);
  if (ka.length !== kb.length) return false;
  return ka.every((k) =>
    same((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k]),
  );
}

/**
 * True when the readings differ only in `evaluatedAt` (and `staleAfter`, which follows it): same value, status, reason, groups,
 * warnings, budget — and same definition and policy version, so a viewer never keeps a stale
 * title or threshold after a policy change.
 *
 * @example
 * ```ts
 * sameReading(prev, { ...prev, evaluatedAt: new Date().toISOString() }); // true
 * ```
 */
export function sameReading(a: KpiReading, b: KpiReading): boolean {
  return same({ ...a, evaluatedAt: '', staleAfter: '' }, { ...b, evaluatedAt: '', staleAfter: '' });
}
