/** The scraper's health record of one target (times in ms); the API turns it into the SDK's `TargetHealth`. */
import type { TargetHealth } from '../../sdk/types.js';
import { redactUrlSecrets } from '../../shared/url-secrets.js';
import type { Labels } from '../model/model.js';
import type { ScrapeTarget } from './target-config.js';

/** `unknown` until the first scrape ends. */
export type ScrapeHealthState = 'up' | 'down' | 'unknown';

/** How one target is doing, from its last finished scrape. */
export interface ScrapeHealth {
  readonly id: string;
  readonly url: string;
  readonly job: string;
  readonly instance: string;
  /** Every label added to the target's series, `job` and `instance` included. */
  readonly labels: Labels;
  readonly health: ScrapeHealthState;
  /** Start of the last finished scrape, ms since the epoch; null before the first. */
  readonly lastScrape: number | null;
  readonly lastDurationMs: number | null;
  /** Samples in the last exposition (0 when the scrape failed before parsing). */
  readonly lastSampleCount: number;
  /** Why the last scrape failed, in words; null when it succeeded. */
  readonly lastError: string | null;
  /** How long after its slot the last scheduled scrape started, ms; null before the first. */
  readonly lastLatenessMs: number | null;
  /** Slots that passed with no scrape since the loop started (see {@link onSchedule}). */
  readonly missedSlots: number;
  readonly intervalMs: number;
  readonly timeoutMs: number;
}

/** The record of a target never scraped yet. */
export function unknownHealth(target: ScrapeTarget): ScrapeHealth {
  return {
    id: target.id,
    url: target.url,
    job: target.job,
    instance: target.instance,
    labels: target.targetLabels,
    health: 'unknown',
    lastScrape: null,
    lastDurationMs: null,
    lastSampleCount: 0,
    lastError: null,
    lastLatenessMs: null,
    missedSlots: 0,
    intervalMs: target.intervalMs,
    timeoutMs: target.timeoutMs,
  };
}

/**
 * How long past its last finished scrape a target may go before a slot counts as missed: the
 * next slot comes an interval later, its scrape may take its timeout, and the news of it a
 * moment more (a thread's message, a timer a little late).
 */
function dueBy(h: ScrapeHealth): number {
  return h.lastScrape! + h.intervalMs + h.timeoutMs + Math.min(1_000, h.intervalMs);
}

/**
 * The record as of `nowMs`: a target whose scrapes stopped coming on schedule (the scraper is
 * stopped, starved or stuck, or a scrape hangs past its timeout) is `down`, never `up`, with
 * the slots missed since its last finished scrape counted and said in `lastError`. A record
 * cached from another thread is judged by the reader's clock, so a scraper that cannot even
 * report cannot hide.
 *
 * @example
 * ```ts
 * onSchedule(health, Date.now()); // { health: 'down', lastError: 'no scrape has finished since …: 3 slots missed', … }
 * ```
 */
export function onSchedule(h: ScrapeHealth, nowMs: number): ScrapeHealth {
  if (h.lastScrape === null || !(nowMs > dueBy(h))) return h;
  const missed = 1 + Math.floor((nowMs - dueBy(h)) / h.intervalMs);
  const since = new Date(h.lastScrape).toISOString();
  return {
    ...h,
    health: 'down',
    lastError: `no scrape has finished since ${since}: ${missed} slot${missed === 1 ? '' : 's'} missed`,
    missedSlots: h.missedSlots + missed,
  };
}

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
    // A target's URL may carry a token (`?auth_token=`): readers see where, never the token.
    url: redactUrlSecrets(h.url),
    job: h.job,
    labels: h.labels,
    health: h.health,
    lastScrape: h.lastScrape === null ? null : new Date(h.lastScrape).toISOString(),
    lastDurationMs: h.lastDurationMs,
    lastSampleCount: h.lastScrape === null ? null : h.lastSampleCount,
    lastError: h.lastError === null ? null : redactUrlSecrets(h.lastError),
    lastLatenessMs: h.lastLatenessMs,
    missedSlots: h.missedSlots,
  };
}
