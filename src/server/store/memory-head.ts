/** The in-memory head block: series by labels and by ref, the postings index, pooled sample chunks. */

import { withDefaults } from '../../shared/with-defaults.js';
import { compileMatcher } from '../model/label-matcher.js';
import { isStaleNaN, type LabelMatcher, type Labels } from '../model/model.js';
import {
  labelsFromPairs,
  StringInterner,
  seriesKey,
  sortedPairs,
  stringBytes,
} from './label-interner.js';
import { Postings } from './postings.js';
import { CHUNK_OBJECT_BYTES } from './sample-chunk.js';
import { SlabPool } from './sample-slab.js';
import { selectRefs } from './select-refs.js';
import { EMPTY_RUN, type Sample, SeriesSamples } from './series-samples.js';
import type {
  AppendResult,
  HeadStats,
  HeadStore,
  SampleRun,
  SeriesRef,
  SeriesView,
} from './types.js';

/** Options of `createHead`; every field is optional. */
export interface HeadOptions {
  /** How long samples are kept by `applyRetention`, in ms. Default 2 h. */
  retentionMs?: number;
  /**
   * Most series the scraper may create, all targets together; 0 = no limit. Default
   * {@link DEFAULT_MAX_SERIES}. The scraper checks it before writing a scrape, so going over
   * fails that scrape alone and never evicts anything; a target's own `up` and friends are
   * always written, so the head may pass it by those few series.
   */
  maxSeries?: number;
}

/**
 * 500 000 series: about 350 MB of series and index at the measured ~700 B a series before any
 * samples, five targets at their own default limit of 100 000, and 20× the largest setup
 * benchmarked (100 targets, 21 500 series).
 */
export const DEFAULT_MAX_SERIES = 500_000;

/** `HeadStats` plus the store's own counters. */
export interface MemoryHeadStats extends HeadStats {
  /** Estimated bytes of sample storage: slabs (used or free) and chunk objects. */
  readonly chunkBytes: number;
  /** Appends refused because the time was not after the series' last sample. */
  readonly outOfOrder: number;
  /** Appends refused because the time equalled the series' last sample. */
  readonly duplicates: number;
  /** Appends refused (as `'out-of-order'`) because the time was before a truncation cutoff. */
  readonly tooOld: number;
}

const DEFAULTS: Required<HeadOptions> = {
  retentionMs: 2 * 60 * 60 * 1000,
  maxSeries: DEFAULT_MAX_SERIES,
};

/**
 * Estimated bytes of one series besides its labels' strings, its postings and its chunks:
 * the series object (header, seven fields, boxed last time), its entries in the key and ref
 * maps, and its label object's header and hidden-class share. The bench finds the whole
 * non-chunk estimate ~15% above measured heap, which is the side to err on.
 */
const SERIES_FIXED_BYTES = 24 + 7 * 8 + 16 + 2 * 40 + 40;
/** A label object's property slot: the value pointer, and the key in its descriptor share. */
const LABEL_SLOT_BYTES = 16;
/** The chunk list: array object, backing store header, one slot a chunk. */
const CHUNK_LIST_BYTES = 32 + 16;

/** One series: its identity and its samples, in one object to save a header per series. */
class HeadSeries extends SeriesSamples {
  constructor(
    readonly ref: SeriesRef,
    readonly key: string,
    readonly labels: Labels,
    readonly labelCount: number,
  ) {
    super();
  }
}

/** True when the series' newest sample is its staleness marker (or it has none). */
function endsStale(series: HeadSeries): boolean {
  const last = series.last();
  if (last === undefined) return true;
  // Read from the typed run: a number passed around may lose the marker's NaN payload.
  const run = series.range(last.t - 1, last.t);
  return run.length > 0 && isStaleNaN(run.v[run.length - 1]);
}

/**
 * The head block. Series get refs that only ever grow, so a ref that `truncate` removed is
 * never reused: a caller holding one gets a RangeError from `append`, and `seriesEpoch`
 * tells a cache of refs (like the scraper's) when to revalidate.
 *
 * @example
 * const head = createHead({ retentionMs: 60 * 60 * 1000 });
 * const ref = head.getOrCreate({ __name__: 'up', job: 'api' });
 * head.append(ref, 1_700_000_000_000, 1);
 * head.select([{ name: 'job', type: '=', value: 'api' }]); // [{ ref, labels }]
 */
export class MemoryHead implements HeadStore {
  readonly retentionMs: number;
  readonly maxSeries: number;
  /** Bumped whenever series are removed; refs taken before may have gone. */
  seriesEpoch = 0;
  private nextRef = 1;
  private readonly byRef = new Map<SeriesRef, HeadSeries>();
  private readonly byKey = new Map<string, HeadSeries>();
  private readonly postings = new Postings();
  private readonly strings = new StringInterner();
  private readonly pool = new SlabPool();
  /** Samples before this time were truncated; appends before it are refused. */
  private minValidT = Number.NEGATIVE_INFINITY;
  private outOfOrder = 0;
  private duplicates = 0;
  private tooOld = 0;
  /** Series given up by their target (it was removed), dropped at the next truncate. */
  private readonly released = new Set<SeriesRef>();

  constructor(options: HeadOptions = {}) {
    const { retentionMs, maxSeries } = withDefaults(DEFAULTS, options);
    if (!(retentionMs > 0)) throw new RangeError(`retentionMs must be > 0, got ${retentionMs}`);
    if (!(Number.isInteger(maxSeries) && maxSeries >= 0)) {
      throw new RangeError(`maxSeries must be a whole number ≥ 0, got ${maxSeries}`);
    }
    this.retentionMs = retentionMs;
    this.maxSeries = maxSeries;
  }

  getOrCreate(labels: Labels): SeriesRef {
    const pairs = sortedPairs(labels);
    const key = seriesKey(pairs);
    const found = this.byKey.get(key);
    if (found !== undefined) return found.ref;
    for (let i = 0; i < pairs.length; i++) pairs[i] = this.strings.acquire(pairs[i]);
    const series = new HeadSeries(this.nextRef++, key, labelsFromPairs(pairs), pairs.length / 2);
    this.byKey.set(key, series);
    this.byRef.set(series.ref, series);
    this.postings.add(series.ref, series.labels);
    return series.ref;
  }

  holds(ref: SeriesRef): boolean {
    return this.byRef.has(ref);
  }

  seriesRoom(): number {
    return this.maxSeries === 0
      ? Number.POSITIVE_INFINITY
      : Math.max(0, this.maxSeries - this.byRef.size);
  }

  release(refs: Iterable<SeriesRef>): void {
    for (const ref of refs) if (this.byRef.has(ref)) this.released.add(ref);
  }

  has(labels: Labels): boolean {
    return this.byKey.has(seriesKey(sortedPairs(labels)));
  }

  /** The ref of an existing series, without creating one. */
  getRef(labels: Labels): SeriesRef | undefined {
    return this.byKey.get(seriesKey(sortedPairs(labels)))?.ref;
  }

  /** Throws RangeError for a ref this head does not hold, or a non-integer time. */
  append(ref: SeriesRef, tMs: number, value: number): AppendResult {
    const series = this.byRef.get(ref);
    if (series === undefined) throw new RangeError(`unknown series ref ${ref}`);
    if (tMs < this.minValidT) {
      this.tooOld++;
      return 'out-of-order';
    }
    const result = series.append(this.pool, tMs, value);
    if (result !== 'ok') {
      if (result === 'duplicate') this.duplicates++;
      else this.outOfOrder++;
    }
    return result;
  }

  select(matchers: readonly LabelMatcher[]): SeriesView[] {
    const refs = selectRefs(
      this.postings,
      (ref) => this.series(ref).labels,
      matchers.map(compileMatcher),
    );
    const found: HeadSeries[] = new Array(refs.length);
    for (let i = 0; i < refs.length; i++) found[i] = this.series(refs[i]);
    // Keys compare as label sets do (see seriesKey), so this is Prometheus's label order.
    found.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
    return found.map((s) => ({ ref: s.ref, labels: s.labels }));
  }

  /** Empty for a ref this head does not hold (it may have been truncated away). */
  samples(ref: SeriesRef, mintMs: number, maxtMs: number): SampleRun {
    return this.byRef.get(ref)?.range(mintMs, maxtMs) ?? EMPTY_RUN;
  }

  /** The newest sample of a series, if any. */
  lastSample(ref: SeriesRef): Sample | undefined {
    return this.byRef.get(ref)?.last();
  }

  labels(ref: SeriesRef): Labels {
    return this.series(ref).labels;
  }

  labelNames(): string[] {
    return [...this.postings.names()].sort();
  }

  labelValues(name: string): string[] {
    const values = this.postings.values(name);
    return values === undefined ? [] : [...values.keys()].sort();
  }

  get seriesCount(): number {
    return this.byRef.size;
  }

  /**
   * Drops samples before `cutoff`, and series left with none, and released series whose last
   * sample is still their staleness marker. Later appends before the cutoff are refused.
   */
  truncate(beforeMs: number): void {
    if (Number.isNaN(beforeMs)) throw new RangeError('truncate needs a time, got NaN');
    if (beforeMs > this.minValidT) this.minValidT = beforeMs;
    const removed = new Map<SeriesRef, Labels>();
    for (const ref of this.released) {
      const series = this.byRef.get(ref);
      if (series && endsStale(series)) {
        series.clear(this.pool);
        removed.set(ref, series.labels);
      }
    }
    this.released.clear();
    for (const series of this.byRef.values()) {
      series.truncateBefore(this.pool, beforeMs);
      if (series.chunks.length === 0) removed.set(series.ref, series.labels);
    }
    if (removed.size === 0) return;
    this.postings.remove(removed);
    for (const [ref, labels] of removed) {
      const series = this.byRef.get(ref)!;
      this.byRef.delete(ref);
      this.byKey.delete(series.key);
      for (const name of Object.keys(labels)) {
        this.strings.release(name);
        this.strings.release(labels[name]);
      }
    }
    this.seriesEpoch++;
  }

  /** Truncates to the retention window ending at `nowMs`; the server calls this periodically. */
  applyRetention(nowMs: number): void {
    this.truncate(nowMs - this.retentionMs);
  }

  /**
   * Memory accounting, computed by a walk over every series. The byte figures are estimates
   * for 64-bit V8 without pointer compression (Node's default): typed-array bytes of every
   * slab whether used or not plus per-slab and per-chunk object overhead (chunk bytes);
   * series objects, label objects, keys, map entries, postings and interned strings (the rest).
   * `bench/ingest.ts` compares them with measured heap.
   */
  stats(): MemoryHeadStats {
    let samples = 0;
    let chunkObjects = 0;
    let seriesBytes = 0;
    let oldest = Number.POSITIVE_INFINITY;
    let newest = Number.NEGATIVE_INFINITY;
    for (const s of this.byRef.values()) {
      const chunks = s.chunks;
      seriesBytes +=
        SERIES_FIXED_BYTES +
        s.labelCount * LABEL_SLOT_BYTES +
        stringBytes(s.key) +
        (chunks.length > 0 ? CHUNK_LIST_BYTES + 8 * chunks.length : 0);
      if (chunks.length === 0) continue;
      chunkObjects += chunks.length;
      samples += s.count;
      const first = chunks[0].firstTime();
      if (first < oldest) oldest = first;
      if (s.lastT > newest) newest = s.lastT;
    }
    const chunkBytes = this.pool.bytes() + chunkObjects * CHUNK_OBJECT_BYTES;
    const restBytes = seriesBytes + this.postings.estimateBytes() + this.strings.estimateBytes();
    const series = this.byRef.size;
    return {
      series,
      samples,
      bytes: chunkBytes + restBytes,
      bytesPerSeries: series > 0 ? restBytes / series : 0,
      bytesPerSample: samples > 0 ? chunkBytes / samples : 0,
      oldestMs: samples > 0 ? oldest : null,
      newestMs: samples > 0 ? newest : null,
      chunkBytes,
      outOfOrder: this.outOfOrder,
      duplicates: this.duplicates,
      tooOld: this.tooOld,
    };
  }

  private series(ref: SeriesRef): HeadSeries {
    const s = this.byRef.get(ref);
    if (s === undefined) throw new RangeError(`unknown series ref ${ref}`);
    return s;
  }
}

/**
 * Creates an empty head.
 *
 * @example
 * const head = createHead(); // keeps 2 h once applyRetention runs
 * setInterval(() => head.applyRetention(Date.now()), 60_000).unref();
 */
export function createHead(options?: HeadOptions): MemoryHead {
  return new MemoryHead(options);
}
