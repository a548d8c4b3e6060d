/** One scrape of one target, start to end: fetch, parse, append, and the synthetic `up` series — never throwing. */
import { errorMessage } from '../../shared/error-message.js';
import type { Timers } from '../schedule/index.js';
import { StorageError } from '../store/disk/storage-error.js';
import type { HeadStore } from '../store/types.js';
import { type AppendOutcome, appendScrape, markStale } from './append-scrape.js';
import { ExpositionError } from './exposition/exposition-error.js';
import { formatFromContentType, parseExpositionInto } from './exposition/parse-exposition.js';
import { type FetchProgress, fetchExposition } from './fetch-exposition.js';
import type { ReportSeries } from './report-series.js';
import type { ScrapeCache } from './scrape-cache.js';
import { ScrapeError } from './scrape-error.js';
import type { ScrapeTarget } from './target-config.js';

/** What one scrape did; handed to `onScrape` observers and kept as the target's health. */
export interface ScrapeReport {
  readonly targetId: string;
  readonly url: string;
  /** Scrape time: when it started, ms since the epoch; the time its samples are stored at. */
  readonly timestampMs: number;
  readonly durationMs: number;
  /** Null when the scrape succeeded. */
  readonly error: ScrapeError | null;
  /** Samples in the exposition, 0 if it was not parsed. */
  readonly samplesScraped: number;
  readonly samplesAppended: number;
  readonly seriesAdded: number;
  readonly staleMarkers: number;
  /** Bytes read off the wire, and body bytes after decompression (where the limit stopped it). */
  readonly wireBytes: number;
  readonly bodyBytes: number;
  /** How long after its slot a scheduled scrape started, ms; absent for a scrape asked for by hand. */
  readonly latenessMs?: number;
}

/** Everything one scrape needs; the loop owns it. */
export interface ScrapeContext {
  readonly store: HeadStore;
  readonly target: ScrapeTarget;
  readonly cache: ScrapeCache;
  readonly report: ReportSeries;
  readonly now: () => number;
  readonly signal?: AbortSignal;
  readonly userAgent?: string;
  /** Timers of the fetch timeout. Default the real ones. */
  readonly timers?: Timers;
}

function asScrapeError(err: unknown): ScrapeError {
  if (err instanceof ScrapeError) return err;
  if (err instanceof ExpositionError) return new ScrapeError('parse', err.message, { cause: err });
  if (err instanceof StorageError) return new ScrapeError('storage', err.message, { cause: err });
  const text = errorMessage(err);
  return new ScrapeError('internal', `unexpected error: ${text}`, { cause: err });
}

const NOTHING: AppendOutcome = { appended: 0, seriesAdded: 0, rejected: 0, staleMarkers: 0 };

/**
 * Scrapes `target` once and stores the result. A failed scrape counts as an empty one: the
 * series of the last good scrape get staleness markers and `up` is 0. A scrape cancelled
 * because the scraper is stopping writes nothing.
 *
 * @example
 * ```ts
 * const report = await scrapeTarget({ store, target, cache, report: series, now: Date.now });
 * if (report.error) console.log(report.error.message);
 * ```
 */
export async function scrapeTarget(ctx: ScrapeContext): Promise<ScrapeReport> {
  const { store, target, cache } = ctx;
  const t = ctx.now();
  const started = performance.now();
  const progress: FetchProgress = { wireBytes: 0, bodyBytes: 0 };
  let samplesScraped = 0;
  let outcome = NOTHING;
  let error: ScrapeError | null = null;
  try {
    const fetched = await fetchExposition(
      target.url,
      {
        timeoutMs: target.timeoutMs,
        bodySizeLimit: target.limits.bodySizeLimit,
        signal: ctx.signal,
        userAgent: ctx.userAgent,
        timers: ctx.timers,
      },
      progress,
    );
    // The parser compares each line with the series at its place in the last scrape, and reads
    // into the target's own columns.
    const families = parseExpositionInto(
      cache.columns,
      fetched.body,
      formatFromContentType(fetched.contentType),
      cache.parseOptions,
    );
    samplesScraped = cache.columns.length;
    outcome = appendScrape(store, target, cache, cache.columns, t);
    cache.metadata = families;
    // Durable before the scrape counts as done: a crash from here on loses none of it.
    store.commit();
  } catch (err) {
    error = asScrapeError(err);
  }
  cache.columns.clear();
  const durationMs = performance.now() - started;
  if (error?.kind !== 'cancelled') {
    if (error) outcome = { ...NOTHING, staleMarkers: markStale(store, cache.fail(), t) };
    ctx.report.write(t, {
      up: error === null,
      durationMs,
      samplesScraped,
      samplesPostRelabeling: outcome.appended,
      seriesAdded: outcome.seriesAdded,
    });
    try {
      store.commit();
    } catch {
      // The scrape's own commit told the reason, or the next one will.
    }
  }
  return {
    targetId: target.id,
    url: target.url,
    timestampMs: t,
    durationMs,
    error,
    samplesScraped,
    samplesAppended: outcome.appended,
    seriesAdded: outcome.seriesAdded,
    staleMarkers: outcome.staleMarkers,
    wireBytes: progress.wireBytes,
    bodyBytes: progress.bodyBytes,
  };
}
