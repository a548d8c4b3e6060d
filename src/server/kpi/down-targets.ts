/** Which down targets could feed a KPI's query, so missing data can be blamed on them. */

import type { TargetHealth } from '../../sdk/types.js';
import { redactUrlSecrets } from '../../shared/url-secrets.js';
import { compileMatcher } from '../model/label-matcher.js';
import type { LabelMatcher } from '../model/model.js';
import type { QuerySelector } from './query-selectors.js';

/**
 * The part of a target's health the KPI side reads, as the source reports it (`targets()`):
 * the scraper's own health fits too, since times are left out.
 */
export type ScrapeHealthView = Pick<
  TargetHealth,
  'url' | 'job' | 'labels' | 'health' | 'lastError'
>;

/** The labels a target stamps on every series it exposes. */
export function targetLabels(t: ScrapeHealthView): Readonly<Record<string, string>> {
  return { job: t.job, ...t.labels };
}

function consistent(m: LabelMatcher, labels: Readonly<Record<string, string>>): boolean {
  const value = labels[m.name];
  // A matcher on a label the target does not set (status, le, __name__) is about the series,
  // which the target may well expose: it cannot rule the target out.
  if (value === undefined) return true;
  try {
    return compileMatcher(m).matches(value);
  } catch {
    return true;
  }
}

/**
 * Targets whose last scrape failed and whose labels do not contradict some selector of the
 * query: their series would be read by the query if the target were up. A query without
 * selectors (`vector(1)`) reads no target.
 *
 * @example
 * ```ts
 * const sel = querySelectors('sum(rate(http_requests_total{service="efile"}[1m]))');
 * downTargetsOf(sel, targets); // the down targets labelled service="efile" (or without service)
 * ```
 */
export function downTargetsOf(
  selectors: readonly QuerySelector[],
  targets: readonly ScrapeHealthView[],
): ScrapeHealthView[] {
  return targets.filter((t) => t.health === 'down' && selectors.some((s) => mayFeed(s, t)));
}

/**
 * Whether a target's own labels agree with every matcher of a selector, so the selector would
 * read its series.
 *
 * @example
 * ```ts
 * mayFeed(querySelectors('x{service="efile"}')[0], { job: 'efile', labels: { service: 'efile' }, … }); // true
 * ```
 */
export function mayFeed(selector: QuerySelector, target: ScrapeHealthView): boolean {
  const labels = targetLabels(target);
  return selector.matchers.every((m) => consistent(m, labels));
}

/** The warning a reading carries for one down target. */
export function downTargetWarning(t: ScrapeHealthView): string {
  // Readings are public: a token in the target's URL or its error must not ride along.
  const why = t.lastError ? `: ${redactUrlSecrets(t.lastError)}` : '';
  return `target ${redactUrlSecrets(t.url)} (job ${t.job}) is down${why}; its series are missing from the value`;
}

/**
 * Whether a reading's warning is the one {@link downTargetWarning} writes, so a reading can be
 * judged stale from what it carries.
 *
 * @example
 * ```ts
 * isDownTargetWarning(downTargetWarning(target)); // true
 * ```
 */
export function isDownTargetWarning(warning: string): boolean {
  return /^target \S+ \(job .*\) is down\b/.test(warning);
}
