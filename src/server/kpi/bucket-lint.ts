/** Warns when a KPI selects a histogram bucket (`le="X"`) the source's histogram does not have. */
import type { LabelMatcher } from '../model/model.js';
import type { QueryOptions, QuerySource } from '../source/query-source.js';
import type { QuerySelector } from './query-selectors.js';

/** Bucket bounds sort by value; `+Inf` last. */
function byBound(a: string, b: string): number {
  return Number.parseFloat(a) - Number.parseFloat(b) || (a < b ? -1 : a > b ? 1 : 0);
}

function sameBound(a: string, b: string): boolean {
  const x = Number.parseFloat(a);
  return !Number.isNaN(x) && x === Number.parseFloat(b);
}

/** The selectors the lint looks at: an `le="X"` equality on a `*_bucket` metric. */
function bucketSelectors(
  selectors: readonly QuerySelector[],
): { histogram: string; le: string; others: LabelMatcher[] }[] {
  return selectors.flatMap((s) => {
    if (s.name === undefined || !s.name.endsWith('_bucket')) return [];
    const le = s.matchers.find((m) => m.name === 'le' && m.type === '=');
    if (!le) return [];
    const histogram = s.name.slice(0, -'_bucket'.length);
    return [{ histogram, le: le.value, others: s.matchers.filter((m) => m.name !== 'le') }];
  });
}

/** The warning for one selected bound, given the bounds the histogram has; none when it is there. */
export function bucketWarning(
  histogram: string,
  le: string,
  scraped: ReadonlySet<string>,
): string | undefined {
  if (scraped.size === 0 || scraped.has(le)) return undefined;
  const sorted = [...scraped].sort(byBound);
  const spelled = sorted.find((b) => sameBound(b, le));
  return spelled !== undefined
    ? `histogram ${histogram} has its bucket le="${le}" spelled le="${spelled}": the matcher compares text, so write le="${spelled}"`
    : `histogram ${histogram} has no bucket le="${le}" (has ${sorted.filter((b) => b !== '+Inf').join(', ')}): that selector matches no series; use a scraped bound or add the bucket to the exporter`;
}

/**
 * Warnings for every selector with an `le="X"` equality matcher on a `*_bucket` metric whose
 * series on the source (those matching the selector's other matchers) have no bucket with
 * that bound. Such a selector matches nothing, so the KPI silently reads no data or half a
 * ratio. A bound spelled differently from the scraped one (`le="2"` against `le="2.0"`) gets
 * its own hint. Selectors whose histogram has no series at all are left to the `no data`
 * reading. Asks the source's `series` (the head, or Prometheus's `/api/v1/series`), so it
 * says the same through either; a source without `series` gives no warnings. A failing
 * `series` call rejects: the caller decides that advice is optional.
 *
 * @example
 * ```ts
 * await lintBuckets(querySelectors('sum(rate(x_bucket{le="2"}[5m]))'), source);
 * // ['histogram x has no bucket le="2" (has 0.5, 1, 5): that selector matches no series; …']
 * ```
 */
export async function lintBuckets(
  selectors: readonly QuerySelector[],
  source: QuerySource,
  opts?: QueryOptions,
): Promise<string[]> {
  const series = source.series?.bind(source);
  if (!series) return [];
  const warnings: string[] = [];
  for (const s of bucketSelectors(selectors)) {
    const labels = await series(s.others, opts);
    const bounds = new Set(labels.map((l) => l.le ?? ''));
    bounds.delete('');
    const message = bucketWarning(s.histogram, s.le, bounds);
    if (message !== undefined && !warnings.includes(message)) warnings.push(message);
  }
  return warnings;
}
