/** `GET /api/v1/targets`: scrape health of every target, as the SDK sees it. */
import { Hono } from 'hono';
import { describeRoute } from 'hono-openapi';
import type { TargetHealth } from '../../sdk/types.js';
import type { ScrapeHealth } from '../scrape/index.js';
import { targetDocs } from './openapi/route-docs.js';

/**
 * The scraper's record in the API's shape: times as ISO 8601, and no sample count before the
 * first scrape (the scraper's 0 would read as "scraped, found nothing").
 *
 * @example
 * ```ts
 * const targets = scraper.health().map(toTargetHealth);
 * ```
 */
export function toTargetHealth(h: ScrapeHealth): TargetHealth {
  return {
    url: h.url,
    job: h.job,
    labels: h.labels,
    health: h.health,
    lastScrape: h.lastScrape === null ? null : new Date(h.lastScrape).toISOString(),
    lastDurationMs: h.lastDurationMs,
    lastSampleCount: h.lastScrape === null ? null : h.lastSampleCount,
    lastError: h.lastError,
  };
}

/** Options of {@link createTargetRoutes}. */
export interface TargetRoutesOptions {
  /** Health of every target in policy order, e.g. `() => scraper.health()`. */
  readonly health: () => readonly ScrapeHealth[];
}

/**
 * The targets route.
 *
 * @example
 * ```ts
 * const app = new Hono().route('/api/v1/targets', createTargetRoutes({ health: () => scraper.health() }));
 * ```
 */
export function createTargetRoutes(options: TargetRoutesOptions) {
  return new Hono().get('/', describeRoute(targetDocs.list), (c) =>
    c.json(options.health().map(toTargetHealth)),
  );
}

/** The targets route's type, for typed clients. */
export type TargetRoutes = ReturnType<typeof createTargetRoutes>;
