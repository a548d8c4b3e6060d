/** Prometheus's `/api/v1/targets` answer in the shape kpi-lights serves its own scrape health. */
import type { TargetHealth } from '../../sdk/types.js';
import { QueryError } from './query-error.js';

/** The fields of one active target that kpi-lights reads. */
interface ActiveTarget {
  readonly scrapeUrl?: string;
  readonly scrapePool?: string;
  readonly labels?: Record<string, string>;
  readonly health?: string;
  readonly lastError?: string;
  readonly lastScrape?: string;
  readonly lastScrapeDuration?: number;
}

/** Prometheus writes the zero Go time for a target never scraped. */
function scrapeTime(text: string | undefined): string | null {
  if (!text) return null;
  const ms = Date.parse(text);
  return Number.isNaN(ms) || ms <= 0 ? null : new Date(ms).toISOString();
}

function health(text: string | undefined): TargetHealth['health'] {
  return text === 'up' || text === 'down' ? text : 'unknown';
}

/**
 * Maps the `data` of `GET /api/v1/targets?state=active`. `labels` are the target's labels after
 * relabelling, `job` and `instance` included, as the scraper reports its own. The
 * sample count is not in the API, so it reads `null` ("not known"), never 0.
 *
 * @example
 * ```ts
 * toTargetHealthList({ activeTargets: [{ scrapeUrl: 'http://a/metrics', labels: { job: 'a' }, health: 'up' }] });
 * // [{ url: 'http://a/metrics', job: 'a', labels: { job: 'a' }, health: 'up', … }]
 * ```
 */
export function toTargetHealthList(data: unknown): TargetHealth[] {
  const active = (data as { activeTargets?: unknown } | null)?.activeTargets;
  if (!Array.isArray(active)) {
    throw new QueryError('unavailable', 'targets: the answer has no activeTargets list');
  }
  return (active as ActiveTarget[]).map((t) => {
    const labels = t.labels ?? {};
    const lastScrape = scrapeTime(t.lastScrape);
    return {
      url: t.scrapeUrl ?? '',
      job: labels.job ?? t.scrapePool ?? '',
      labels,
      health: health(t.health),
      lastScrape,
      lastDurationMs:
        lastScrape === null || t.lastScrapeDuration === undefined
          ? null
          : Math.round(t.lastScrapeDuration * 1000),
      lastSampleCount: null,
      lastError: t.lastError ? t.lastError : null,
      // Prometheus's API does not say how late its scrapes were.
      lastLatenessMs: null,
      missedSlots: null,
    };
  });
}
