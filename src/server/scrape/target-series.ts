/** The series one target has created in the head, so its series limit counts what it holds, not what one scrape sends. */
import type { HeadStore, SeriesRef } from '../store/types.js';
import { ScrapeError } from './scrape-error.js';

/**
 * Refs of the series a target's scrapes created or wrote. Churn (new series names every
 * scrape) grows this set though each scrape is small, which is what the series limit is for;
 * series the head has since dropped are pruned before a limit is enforced.
 *
 * @example
 * ```ts
 * const owned = new TargetSeries();
 * owned.check(store, 250, 1_000); // throws once the target would hold more than 1 000
 * owned.add(store.getOrCreate(labels));
 * ```
 */
export class TargetSeries {
  readonly #refs = new Set<SeriesRef>();
  /** Size after the last prune: a set twice as big is pruned, so churn without a limit cannot grow it forever. */
  #prunedSize = 0;

  get size(): number {
    return this.#refs.size;
  }

  add(ref: SeriesRef): void {
    this.#refs.add(ref);
  }

  refs(): IterableIterator<SeriesRef> {
    return this.#refs.values();
  }

  /**
   * Throws a `series-limit` ScrapeError, before anything is written, when `fresh` more series
   * (new to the head) would take this target past `seriesLimit` (0 = none) or the head past its
   * own limit. Other targets' series are never touched to make room.
   */
  check(store: HeadStore, fresh: number, seriesLimit: number): void {
    if (this.#refs.size > 2 * this.#prunedSize + 1024) this.#prune(store);
    if (fresh === 0) return;
    if (seriesLimit > 0 && this.#refs.size + fresh > seriesLimit) {
      this.#prune(store);
      if (this.#refs.size + fresh > seriesLimit) {
        throw new ScrapeError(
          'series-limit',
          `series limit ${seriesLimit} exceeded: the target holds ${this.#refs.size} series and sent ${fresh} new ones`,
        );
      }
    }
    const room = store.seriesRoom();
    if (fresh > room) {
      throw new ScrapeError(
        'series-limit',
        `head series limit reached: ${fresh} new series, room for ${room}; other targets keep theirs`,
      );
    }
  }

  /** Forgets series the head no longer holds (retention dropped them). */
  #prune(store: HeadStore): void {
    for (const ref of this.#refs) if (!store.holds(ref)) this.#refs.delete(ref);
    this.#prunedSize = this.#refs.size;
  }
}
