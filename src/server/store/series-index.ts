/** Series by ref, by label set and by label pair: the index the head keeps, and each query worker's view of it. */
import { compileMatcher } from '../model/label-matcher.js';
import type { LabelMatcher, Labels } from '../model/model.js';
import { labelsFromPairs, StringInterner, seriesKey, sortedPairs } from './label-interner.js';
import { Postings } from './postings.js';
import { selectRefs } from './select-refs.js';
import type { SeriesRef } from './types.js';

/** What the index needs of a series: its ref, its canonical key and its interned labels. */
export interface IndexedSeries {
  readonly ref: SeriesRef;
  readonly key: string;
  readonly labels: Labels;
}

/**
 * Series of one store, found by ref, by label set, or by matchers through the postings. Label
 * names and values are interned, counted per holder, so a value many series share is kept once.
 *
 * @example
 * ```ts
 * const index = new SeriesIndex<IndexedSeries>();
 * const pairs = sortedPairs({ __name__: 'up', job: 'api' });
 * index.add({ ref: 1, key: seriesKey(pairs), labels: index.intern(pairs) });
 * index.select([{ name: 'job', type: '=', value: 'api' }]); // [{ ref: 1, … }]
 * ```
 */
export class SeriesIndex<S extends IndexedSeries> {
  readonly byRef = new Map<SeriesRef, S>();
  readonly byKey = new Map<string, S>();
  private readonly postings = new Postings();
  private readonly strings = new StringInterner();

  /** The key of a label set, as `byKey` holds it. */
  keyOf(labels: Labels): string {
    return seriesKey(sortedPairs(labels));
  }

  /** The series with these labels, if held. */
  find(labels: Labels): S | undefined {
    return this.byKey.get(this.keyOf(labels));
  }

  /**
   * Interns a label set's sorted pairs (from `sortedPairs`, replaced in place) for a new series,
   * and answers its frozen labels; `add` the series made with them, or nothing is kept.
   */
  intern(pairs: string[]): Labels {
    for (let i = 0; i < pairs.length; i++) pairs[i] = this.strings.acquire(pairs[i]);
    return labelsFromPairs(pairs);
  }

  add(series: S): void {
    this.byKey.set(series.key, series);
    this.byRef.set(series.ref, series);
    this.postings.add(series.ref, series.labels);
  }

  /** Forgets these series and lets go of their strings; answers the ones it held. */
  remove(refs: Iterable<SeriesRef>): S[] {
    const removed = new Map<SeriesRef, Labels>();
    const held: S[] = [];
    for (const ref of refs) {
      const series = this.byRef.get(ref);
      if (series === undefined || removed.has(ref)) continue;
      removed.set(ref, series.labels);
      held.push(series);
    }
    if (held.length === 0) return held;
    this.postings.remove(removed);
    for (const series of held) {
      this.byRef.delete(series.ref);
      this.byKey.delete(series.key);
      for (const name of Object.keys(series.labels)) {
        this.strings.release(name);
        this.strings.release(series.labels[name]);
      }
    }
    return held;
  }

  /** Series whose labels satisfy every matcher, in Prometheus's label-set order. */
  select(matchers: readonly LabelMatcher[]): S[] {
    const refs = selectRefs(
      this.postings,
      (ref) => this.byRef.get(ref)!.labels,
      matchers.map(compileMatcher),
    );
    const found: S[] = new Array(refs.length);
    for (let i = 0; i < refs.length; i++) found[i] = this.byRef.get(refs[i])!;
    // Keys compare as label sets do (see seriesKey), so this is Prometheus's label order.
    found.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
    return found;
  }

  labelNames(): string[] {
    return [...this.postings.names()].sort();
  }

  labelValues(name: string): string[] {
    const values = this.postings.values(name);
    return values === undefined ? [] : [...values.keys()].sort();
  }

  get size(): number {
    return this.byRef.size;
  }

  /** Estimated bytes of the postings and the interned strings; each series' key is its own. */
  estimateBytes(): number {
    return this.postings.estimateBytes() + this.strings.estimateBytes();
  }
}
