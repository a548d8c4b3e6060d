/** What one target's scrape loop remembers between scrapes: series text → store ref, and which series the last scrape wrote. */
import type { SeriesRef } from '../store/types.js';
import type { MetricFamily, ParseOptions } from './exposition/exposition-types.js';
import { SampleColumns } from './exposition/sample-sink.js';
import { TargetSeries } from './target-series.js';

/** One series the target has exposed. */
export interface CacheEntry {
  /** The series text as the target writes it: the entry's key, detached from the scrape body. */
  readonly series: string;
  /** Its metric name, sharing memory with `series` rather than with the body. */
  readonly name: string;
  ref: SeriesRef;
  /** The scrape generation that last wrote this series. */
  seen: number;
  /** False for samples with their own timestamps: Prometheus leaves those out of staleness. */
  readonly tracked: boolean;
}

/** Entries unseen for this many successful scrapes are dropped, so a churning target can't grow the cache forever. */
const KEEP_UNSEEN_SCRAPES = 10;

/**
 * The scrape cache of one target. A warm scrape maps each line's raw series text straight to a
 * store ref, so it builds no label objects and does no store lookups; staleness comes from
 * generation numbers rather than per-scrape sets.
 *
 * @example
 * ```ts
 * const cache = new ScrapeCache();
 * const gen = cache.begin();
 * cache.entries.set('up{a="1"}', { series: 'up{a="1"}', name: 'up', ref, seen: 0, tracked: true });
 * ```
 */
export class ScrapeCache {
  readonly entries = new Map<string, CacheEntry>();
  /** Every series the target created, for its series limit and to release them when it goes. */
  readonly owned = new TargetSeries();
  /** Tracked series written by the last successful scrape: the candidates for staleness markers. */
  previous: CacheEntry[] = [];
  /**
   * The entries of the last stored scrape, in line order. The parser compares each line with
   * the series at its place first (`ParseOptions.previousSeries`), and so does `appendScrape`.
   */
  readonly order: CacheEntry[] = [];
  /** Where each body of this target is parsed into, reused so a scrape allocates no sample objects. */
  readonly columns = new SampleColumns();
  /** What the parser is told of this target, so a warm scrape skips what it has read before. */
  readonly parseOptions: ParseOptions = { knownSeries: this.entries, previousSeries: this.order };
  generation = 0;
  /**
   * The `# HELP`/`# TYPE`/`# UNIT` families of the last exposition that parsed, for Prometheus's
   * metadata API. A failed scrape keeps them, as Prometheus keeps a target's metadata.
   */
  metadata: readonly MetricFamily[] = [];

  /** Starts a scrape and returns its generation. */
  begin(): number {
    return ++this.generation;
  }

  /**
   * The generation of the last successful scrape. A tracked entry whose `seen` still holds it is
   * in `previous` (entries seen since hold a later one), so a scrape that counts such entries as
   * it sees them (see `wasPrevious`) knows whether all of `previous` came back.
   */
  committed = 0;

  /** True when `e`, about to be marked seen, is one of `previous`. Call before updating `seen`. */
  wasPrevious(e: CacheEntry): boolean {
    return e.seen === this.committed && e.tracked && this.committed !== 0;
  }

  /**
   * Ends a successful scrape: `current` becomes the last-seen set, and the entries not in it are
   * returned so their series get staleness markers. `previousSeen` counts the entries of
   * `previous` this scrape saw (`wasPrevious`); when it is all of them, none is gone.
   */
  commit(current: CacheEntry[], seenCount: number, previousSeen = -1): CacheEntry[] {
    const gen = this.generation;
    const gone: CacheEntry[] = [];
    // Walking `previous` touches every entry again; skip it when all of them were seen.
    if (previousSeen !== this.previous.length) {
      for (const e of this.previous) if (e.seen !== gen) gone.push(e);
    }
    this.previous = current;
    this.committed = gen;
    // Only walk the map when something in it was not seen this time.
    if (this.entries.size > seenCount) {
      const oldest = gen - KEEP_UNSEEN_SCRAPES;
      for (const [key, e] of this.entries) if (e.seen < oldest) this.entries.delete(key);
    }
    return gone;
  }

  /** Ends a failed scrape: everything the last one wrote is now gone. */
  fail(): CacheEntry[] {
    const gone = this.previous;
    this.previous = [];
    return gone;
  }
}
