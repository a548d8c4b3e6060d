/** The scraper: targets on their own schedules, fetched with limits, parsed, appended into the head. */
export { ExpositionError } from './exposition/exposition-error.js';
export type {
  Exemplar,
  Exposition,
  ExpositionFormat,
  ExpositionSample,
  MetricFamily,
  MetricType,
} from './exposition/exposition-types.js';
export { formatFromContentType, parseExposition } from './exposition/parse-exposition.js';
export {
  type FetchExpositionOptions,
  type FetchedExposition,
  type FetchProgress,
  fetchExposition,
  SCRAPE_ACCEPT,
  SCRAPE_USER_AGENT,
} from './fetch-exposition.js';
export type { ScrapeControl, ScrapeSummary } from './scrape-control.js';
export { ScrapeError, type ScrapeErrorKind } from './scrape-error.js';
export { ScrapeLoop, type ScrapeLoopOptions } from './scrape-loop.js';
export { ScrapeManager, type ScrapeManagerOptions } from './scrape-manager.js';
export { spreadOffsetMs } from './scrape-schedule.js';
export { type ScrapeReport, scrapeTarget } from './scrape-target.js';
export {
  resolveTarget,
  SCRAPE_DEFAULTS,
  type ScrapeDefaults,
  type ScrapeLimits,
  type ScrapeTarget,
  type ScrapeTargetOptions,
  TargetConfigError,
} from './target-config.js';
export type { ScrapeHealth, ScrapeHealthState } from './target-health.js';
export { toTargetHealth } from './target-health.js';
export type { TargetMetadata } from './target-metadata.js';
