/** The `ScrapeControl` of a server whose source is a remote Prometheus: nothing to scrape, nothing started. */
import type { ScrapeControl } from './scrape-control.js';
import { TargetConfigError } from './target-config.js';

/**
 * A scraper with no targets that refuses any, so a policy reload cannot quietly start
 * scraping beside a Prometheus that already does.
 *
 * @example
 * ```ts
 * const scrape = scrapingOff('source is prometheus');
 * await scrape.update([]); // fine; a non-empty list throws TargetConfigError
 * ```
 */
export function scrapingOff(why: string): ScrapeControl {
  return {
    start() {},
    async stop() {},
    async update(targets) {
      if (targets.length > 0) throw new TargetConfigError('targets', `scraping is off: ${why}`);
    },
    health: () => [],
    targets: () => [],
    scrapeNow: () => Promise.reject(new Error(`scraping is off: ${why}`)),
  };
}
