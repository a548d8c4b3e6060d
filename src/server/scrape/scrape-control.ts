/** The part of the scraper the app and server drive, whether it runs in this thread or the engine worker. */
import type { ScrapeReport } from './scrape-target.js';
import type { ScrapeTarget, ScrapeTargetOptions } from './target-config.js';
import type { ScrapeHealth } from './target-health.js';

/** A scrape's report as it crosses a thread: the error keeps its kind and words, not its class. */
export type ScrapeSummary = Omit<ScrapeReport, 'error'> & {
  readonly error: { readonly kind: string; readonly message: string } | null;
};

/**
 * What the app reads of a scraper: `ScrapeManager` fits, and so does the engine worker's host,
 * which answers `health()` and `targets()` from what the worker last reported.
 *
 * @example
 * ```ts
 * const scrape: ScrapeControl = new ScrapeManager({ store: head, targets });
 * scrape.start();
 * scrape.health(); // [{ url, health: 'unknown', … }]
 * ```
 */
export interface ScrapeControl {
  start(): void;
  stop(): Promise<void>;
  /** Swaps the targets; throws `TargetConfigError`, changing nothing, when one is bad. */
  update(targets: readonly ScrapeTargetOptions[]): Promise<void>;
  health(): ScrapeHealth[];
  targets(): ScrapeTarget[];
  /** Scrapes one target at once. */
  scrapeNow(targetId: string): Promise<ScrapeSummary>;
}
