/** What one target's scrape loop remembers between scrapes: series text → store ref, and which series the last scrape wrote. */
import type { SeriesRef } from '../store/types.js';
import type { MetricFamily } from './exposition/exposition-types.js';
import { TargetSeries } from './target-series.js';

/** One series the target has exposed. */
export interface CacheEntry {
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
 * cache.entries.set('up{a="1"}', { ref, seen: 0, tracked: true });
 * ```
 */
export class ScrapeCache {
  readonly entries = new Map<string, CacheEntry>();
  /** Every series the target created, for its series limit and to release them when it goes. */
  readonly owned = new TargetSeries();
  /** Tracked series written by the last successful scrape: the candidates for staleness markers. */
  previous: CacheEntry[] = [];
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
   * Ends a successful scrape: `current` becomes the last-seen set, and the entries not in it are
   * returned so their series get staleness markers.
   */
  commit(current: CacheEntry[], seenCount: number): CacheEntry[] {
    const gen = this.generation;
    const gone: CacheEntry[] = [];
    for (const e of this.previous) if (e.seen !== gen) gone.push(e);
    this.previous = current;
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
