/** Warns when a KPI selects a histogram bucket (`le="X"`) the scraped histogram does not have. */
import type { LabelMatcher } from '../model.js';
import type { HeadStore } from '../store/types.js';
import type { QuerySelector } from './query-selectors.js';

/** Bucket bounds sort by value; `+Inf` last. */
function byBound(a: string, b: string): number {
  return Number.parseFloat(a) - Number.parseFloat(b) || (a < b ? -1 : a > b ? 1 : 0);
}

function sameBound(a: string, b: string): boolean {
  const x = Number.parseFloat(a);
  return !Number.isNaN(x) && x === Number.parseFloat(b);
}

/**
 * Warnings for every selector with an `le="X"` equality matcher on a `*_bucket` metric whose
 * scraped series (those matching the selector's other matchers) have no bucket with that bound.
 * Such a selector matches nothing, so the KPI silently reads no data or half a ratio. A bound
 * spelled differently from the scraped one (`le="2"` against `le="2.0"`) gets its own hint.
 * Selectors whose histogram has no series at all are left to the `no data` reading.
 *
 * @example
 * ```ts
 * lintBuckets(querySelectors('sum(rate(x_bucket{le="2"}[5m]))'), head);
 * // ['histogram x has no bucket le="2" (has 0.5, 1, 5): that selector matches no series; …']
 * ```
 */
export function lintBuckets(selectors: readonly QuerySelector[], head: HeadStore): string[] {
  const warnings: string[] = [];
  for (const s of selectors) {
    if (s.name === undefined || !s.name.endsWith('_bucket')) continue;
    const le = s.matchers.find((m) => m.name === 'le' && m.type === '=');
    if (!le) continue;
    const others: LabelMatcher[] = s.matchers.filter((m) => m.name !== 'le');
    let bounds: Set<string>;
    try {
      bounds = new Set(head.select(others).map((series) => series.labels.le ?? ''));
    } catch {
      continue; // a matcher the store refuses; the query reports that itself
    }
    bounds.delete('');
    if (bounds.size === 0 || bounds.has(le.value)) continue;
    const histogram = s.name.slice(0, -'_bucket'.length);
    const sorted = [...bounds].sort(byBound);
    const spelled = sorted.find((b) => sameBound(b, le.value));
    const message =
      spelled !== undefined
        ? `histogram ${histogram} has its bucket le="${le.value}" spelled le="${spelled}": the matcher compares text, so write le="${spelled}"`
        : `histogram ${histogram} has no bucket le="${le.value}" (has ${sorted.filter((b) => b !== '+Inf').join(', ')}): that selector matches no series; use a scraped bound or add the bucket to the exporter`;
    if (!warnings.includes(message)) warnings.push(message);
  }
  return warnings;
}
