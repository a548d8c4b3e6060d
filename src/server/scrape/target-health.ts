/** The health record of one target, as the targets page and `/api/v1/targets` show it. */
import type { Labels } from '../model.js';
import type { ScrapeTarget } from './target-config.js';

/** `unknown` until the first scrape ends. */
export type TargetHealthState = 'up' | 'down' | 'unknown';

/** How one target is doing, from its last finished scrape. */
export interface TargetHealth {
  readonly id: string;
  readonly url: string;
  readonly job: string;
  readonly instance: string;
  /** Every label added to the target's series, `job` and `instance` included. */
  readonly labels: Labels;
  readonly health: TargetHealthState;
  /** Start of the last finished scrape, ms since the epoch; null before the first. */
  readonly lastScrape: number | null;
  readonly lastDurationMs: number | null;
  /** Samples in the last exposition (0 when the scrape failed before parsing). */
  readonly lastSampleCount: number;
  /** Why the last scrape failed, in words; null when it succeeded. */
  readonly lastError: string | null;
  readonly intervalMs: number;
  readonly timeoutMs: number;
}

/** The record of a target never scraped yet. */
export function unknownHealth(target: ScrapeTarget): TargetHealth {
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
    intervalMs: target.intervalMs,
    timeoutMs: target.timeoutMs,
  };
}
