/** One target's scrape loop: its schedule on a fixed slot, one scrape at a time, its cache and its health. */
import { errorMessage } from '../../shared/error-message.js';
import { AlignedSchedule, realTimers, type Timers } from '../schedule/index.js';
import type { HeadStore } from '../store/types.js';
import { markStale } from './append-scrape.js';
import { ReportSeries } from './report-series.js';
import { ScrapeCache } from './scrape-cache.js';
import { ScrapeError } from './scrape-error.js';
import { spreadOffsetMs } from './scrape-schedule.js';
import { type ScrapeReport, scrapeTarget } from './scrape-target.js';
import type { ScrapeTarget } from './target-config.js';
import { onSchedule, type ScrapeHealth, unknownHealth } from './target-health.js';

/**
 * A scrape that starts this close to its slot is stamped with the slot's time, as Prometheus
 * does (its `scrape.timestamp-tolerance`, 2 ms there; Node's timers fire a few ms late, so
 * more here). Samples a fixed interval apart compress to a bit of time each; a few ms of
 * jitter would cost two bytes a sample.
 */
export const TIMESTAMP_TOLERANCE_MS = 10;

/** Options of {@link ScrapeLoop}. */
export interface ScrapeLoopOptions {
  readonly store: HeadStore;
  /** Clock for sample timestamps. Default `timers.now`. */
  readonly now?: () => number;
  /** Clock and timers of the schedule and of the scrape timeout. Default the real ones. */
  readonly timers?: Timers;
  /** Called after every finished scrape; an exception it throws is swallowed. */
  readonly onScrape?: (report: ScrapeReport) => void;
  readonly userAgent?: string;
  /** A stopped loop this one replaces (same series, new settings): its cache and health carry on. */
  readonly replaces?: ScrapeLoop;
}

/**
 * Scrapes one target on its own schedule: at `offset + k × interval` where the offset spreads
 * targets over the interval. A scrape still running when its next slot comes makes that slot be
 * skipped, never overlapped.
 *
 * @example
 * ```ts
 * const loop = new ScrapeLoop(target, { store });
 * loop.start();
 * // later
 * await loop.stop();
 * ```
 */
export class ScrapeLoop {
  readonly target: ScrapeTarget;
  /** Where in each interval this target is scraped, ms. */
  readonly offsetMs: number;
  readonly cache: ScrapeCache;
  readonly #store: HeadStore;
  readonly #now: () => number;
  readonly #onScrape: ((report: ScrapeReport) => void) | undefined;
  readonly #userAgent: string | undefined;
  readonly #report: ReportSeries;
  readonly #timers: Timers;
  readonly #schedule: AlignedSchedule;
  #abort = new AbortController();
  #running: Promise<ScrapeReport> | undefined;
  #health: ScrapeHealth;

  constructor(target: ScrapeTarget, options: ScrapeLoopOptions) {
    this.target = target;
    this.offsetMs = spreadOffsetMs(target.id, target.intervalMs);
    this.cache = options.replaces?.cache ?? new ScrapeCache();
    this.#store = options.store;
    this.#timers = options.timers ?? realTimers;
    this.#now = options.now ?? (() => this.#timers.now());
    this.#onScrape = options.onScrape;
    this.#userAgent = options.userAgent;
    this.#report = new ReportSeries(options.store, target.targetLabels);
    const fresh = unknownHealth(target);
    const before = options.replaces?.health();
    this.#health = before
      ? { ...before, intervalMs: fresh.intervalMs, timeoutMs: fresh.timeoutMs }
      : fresh;
    this.#schedule = new AlignedSchedule({
      intervalMs: () => this.target.intervalMs,
      offsetMs: this.offsetMs,
      // Joins a scrape someone asked for by hand, so the two never overlap.
      work: (slotMs) => this.scrapeNow(slotMs),
      timers: this.#timers,
      onMissed: (slots) => {
        this.#health = { ...this.#health, missedSlots: this.#health.missedSlots + slots };
      },
    });
  }

  /** Starts the schedule; the first scrape comes at the target's next slot. */
  start(): void {
    if (this.#schedule.nextAt !== null) return;
    if (this.#abort.signal.aborted) this.#abort = new AbortController();
    this.#schedule.start();
  }

  /**
   * Scrapes now, or joins the scrape already running. Never rejects. `slotMs`, the schedule's
   * slot, is the samples' time when the scrape starts within {@link TIMESTAMP_TOLERANCE_MS}.
   */
  scrapeNow(slotMs?: number): Promise<ScrapeReport> {
    if (this.#running) return this.#running;
    const run = this.#scrape(slotMs).finally(() => {
      this.#running = undefined;
    });
    this.#running = run;
    return run;
  }

  async #scrape(slotMs: number | undefined): Promise<ScrapeReport> {
    const now = this.#now();
    const t =
      slotMs !== undefined && Math.abs(now - slotMs) <= TIMESTAMP_TOLERANCE_MS ? slotMs : now;
    // Only a scheduled scrape has a slot to be late for.
    const latenessMs = slotMs === undefined ? undefined : Math.max(0, now - slotMs);
    let report: ScrapeReport;
    try {
      report = await scrapeTarget({
        store: this.#store,
        target: this.target,
        cache: this.cache,
        report: this.#report,
        now: () => t,
        signal: this.#abort.signal,
        userAgent: this.#userAgent,
        timers: this.#timers,
      });
    } catch (err) {
      // Only a store fault gets here; a timer's scrape must never become an unhandled rejection.
      report = failedReport(this.target, t, err);
    }
    if (latenessMs !== undefined) report = { ...report, latenessMs };
    if (report.error?.kind !== 'cancelled') {
      this.#health = {
        ...this.#health,
        health: report.error ? 'down' : 'up',
        lastScrape: report.timestampMs,
        lastDurationMs: report.durationMs,
        lastSampleCount: report.samplesScraped,
        lastError: report.error ? report.error.message : null,
        lastLatenessMs: latenessMs ?? this.#health.lastLatenessMs,
      };
    }
    try {
      this.#onScrape?.(report);
    } catch {
      // An observer's bug must not stop the scraping.
    }
    return report;
  }

  /** When the schedule fires next, ms since the epoch; null while stopped. */
  get nextScrapeAt(): number | null {
    return this.#schedule.nextAt;
  }

  /**
   * The target's health: as of its last finished scrape, and, while its schedule runs, never
   * `up` once a slot has passed with no scrape (see `onSchedule`).
   */
  health(): ScrapeHealth {
    return this.#schedule.nextAt === null ? this.#health : onSchedule(this.#health, this.#now());
  }

  /** Stops the schedule, aborts a running scrape and waits for it to end. `start` resumes. */
  async stop(): Promise<void> {
    const stopped = this.#schedule.stop();
    this.#abort.abort();
    await Promise.all([stopped, this.#running]);
  }

  /** Marks every series this target last wrote stale at `t`, synthetic ones included: the target is gone. */
  markAllStale(t: number = this.#now()): void {
    markStale(this.#store, this.cache.fail(), t);
    this.#report.markStale(t);
  }

  /**
   * The target was removed: its series go stale now, and the head frees them at its next
   * truncate (retention run) rather than when their samples age out hours later.
   */
  retire(t: number = this.#now()): void {
    this.markAllStale(t);
    this.#store.release(this.cache.owned.refs());
    this.#store.release(this.#report.refs());
  }
}

function failedReport(target: ScrapeTarget, t: number, err: unknown): ScrapeReport {
  const text = errorMessage(err);
  return {
    targetId: target.id,
    url: target.url,
    timestampMs: t,
    durationMs: 0,
    error: new ScrapeError('internal', `storing the scrape failed: ${text}`, { cause: err }),
    samplesScraped: 0,
    samplesAppended: 0,
    seriesAdded: 0,
    staleMarkers: 0,
    wireBytes: 0,
    bodyBytes: 0,
  };
}
