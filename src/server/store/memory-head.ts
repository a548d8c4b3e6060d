/** The head block: series by labels and by ref, the postings index, compressed sample chunks in shared memory. */

import { withDefaults } from '../../shared/with-defaults.js';
import type { LabelMatcher, Labels } from '../model/model.js';
import { RECORD_BYTES } from './chunk/chunk-layout.js';
import { ChunkMemory } from './chunk/chunk-memory.js';
import { EMPTY_RUN, readRange } from './chunk-walk.js';
import { seriesKey, sortedPairs, stringBytes } from './label-interner.js';
import { SeriesCursor } from './sample-cursor.js';
import { SeriesChunks } from './series-chunks.js';
import { SeriesIndex } from './series-index.js';
import { type Sample, SeriesSamples } from './series-samples.js';
import type {
  AppendResult,
  HeadStats,
  HeadStore,
  SampleCursor,
  SampleRun,
  SeriesRef,
  SeriesView,
} from './types.js';

/**
 * What a durable store hears from the head: every new series and every stored sample, in order,
 * and when the head drops series. `commit` makes what it heard durable.
 */
export interface HeadJournal {
  series(ref: SeriesRef, labels: Labels): void;
  sample(ref: SeriesRef, t: number, v: number): void;
  dropped(refs: readonly SeriesRef[]): void;
  commit(): void;
}

/**
 * What readers in other threads hear of the head's series: each new one with its record's
 * location, the dropped ones, and the chunk files retention deleted (see `share/head-feed.ts`).
 */
export interface SeriesFeed {
  added(ref: SeriesRef, recordLoc: number, labels: Labels): void;
  dropped(refs: readonly SeriesRef[]): void;
  filesBefore(firstFile: number): void;
  /** Passes on what was told since the last flush; called as the head publishes. */
  flush(): void;
}

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
  /** Bytes of sample memory: the arenas' open chunks, chunk lists and sealed chunks. */
  readonly chunkBytes: number;
  /** Samples whose chunks are in memory (open, or sealed and not yet left for disk). */
  readonly memorySamples: number;
  /** Series with a chunk that could not be read back from disk. */
  readonly damagedSeries: number;
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
 * the series object (header, 23 fields, boxed times), its open chunk's encoder (header, 13
 * fields, boxed times), its entries in the key and ref maps, and its label object's header and
 * hidden-class share. Its record for readers is in the arenas, counted apart.
 * `bench/ingest.ts` compares the estimate with measured heap.
 */
const SERIES_FIXED_BYTES = 24 + 23 * 8 + 3 * 16 + (24 + 13 * 8 + 3 * 16) + 2 * 40 + 40;
/** A label object's property slot: the value pointer, and the key in its descriptor share. */
const LABEL_SLOT_BYTES = 16;

/** One series: its identity and its samples, in one object to save a header per series. */
class HeadSeries extends SeriesSamples {
  /** In the head's list of series to publish at the next commit. */
  queued = false;

  constructor(
    readonly ref: SeriesRef,
    readonly key: string,
    readonly labels: Labels,
    readonly labelCount: number,
  ) {
    super();
  }
}

/**
 * The head block. Series get refs that only ever grow, so a ref that `truncate` removed is
 * never reused: a caller holding one gets a RangeError from `append`, and `seriesEpoch`
 * tells a cache of refs (like the scraper's) when to revalidate. Samples are kept in
 * Gorilla-style chunks of up to 120 samples (see `chunk/`); on its own the head keeps every
 * chunk in memory, and a durable store (`disk/`) gives it a journal and a disk for full chunks.
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
  private readonly index = new SeriesIndex<HeadSeries>();
  private readonly byRef = this.index.byRef;
  /** Series appended to since the last publish. */
  private readonly dirty: HeadSeries[] = [];
  /** The arenas every series' chunks live in, and the disk behind them when durable. */
  readonly memory = new ChunkMemory();
  /** Hears every new series and sample; set by a durable store. */
  journal: HeadJournal | null = null;
  /** Tells readers in other threads of series; set when the head is shared. */
  feed: SeriesFeed | null = null;
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
    const found = this.index.byKey.get(key);
    if (found !== undefined) return found.ref;
    const series = this.create(this.nextRef++, key, pairs);
    this.journal?.series(series.ref, series.labels);
    return series.ref;
  }

  /**
   * Recreates a series under the ref it had before a restart (replay); later refs continue
   * after it. Refs must come in increasing order. Nothing is journalled.
   */
  restoreSeries(ref: SeriesRef, labels: Labels): SeriesSamples {
    if (!(Number.isSafeInteger(ref) && ref >= this.nextRef)) {
      throw new RangeError(`series ref ${ref} is not after ${this.nextRef - 1}`);
    }
    const pairs = sortedPairs(labels);
    const key = seriesKey(pairs);
    if (this.index.byKey.has(key)) throw new RangeError(`series ${key} is already held`);
    this.nextRef = ref + 1;
    return this.create(ref, key, pairs);
  }

  /** A new series with its record, indexed, and told to the readers. */
  private create(ref: SeriesRef, key: string, pairs: string[]): HeadSeries {
    const series = new HeadSeries(ref, key, this.index.intern(pairs), pairs.length / 2);
    series.attachRecord(this.memory);
    this.index.add(series);
    this.feed?.added(ref, series.recordLoc, series.labels);
    return series;
  }

  /** Makes new series get refs from `ref` on (a replay restores the counter refs had reached). */
  reserveRefs(ref: SeriesRef): void {
    if (ref > this.nextRef) this.nextRef = ref;
  }

  /** Drops series by ref (a replayed WAL says they were dropped). */
  dropSeries(refs: Iterable<SeriesRef>): void {
    this.remove(refs);
    this.publishAll();
  }

  /** The samples of series `ref`, for a durable store's replay and retention; undefined if gone. */
  seriesSamples(ref: SeriesRef): SeriesSamples | undefined {
    return this.byRef.get(ref);
  }

  /** Every series as `[ref, labels, samples]`, in ref order (checkpoints write them so). */
  *allSeries(): IterableIterator<[SeriesRef, Labels, SeriesSamples]> {
    for (const s of this.byRef.values()) yield [s.ref, s.labels, s];
  }

  /** The next ref a new series would get. */
  get nextSeriesRef(): SeriesRef {
    return this.nextRef;
  }

  /** Samples before this time were truncated away; appends before it are refused. */
  get truncatedBefore(): number {
    return this.minValidT;
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
    return this.index.find(labels) !== undefined;
  }

  /** The ref of an existing series, without creating one. */
  getRef(labels: Labels): SeriesRef | undefined {
    return this.index.find(labels)?.ref;
  }

  /** Throws RangeError for a ref this head does not hold, or a non-integer time. */
  append(ref: SeriesRef, tMs: number, value: number): AppendResult {
    const series = this.byRef.get(ref);
    if (series === undefined) throw new RangeError(`unknown series ref ${ref}`);
    if (tMs < this.minValidT) {
      this.tooOld++;
      return 'out-of-order';
    }
    const result = series.add(this.memory, ref, tMs, value);
    if (result === 'ok') {
      if (!series.queued) {
        series.queued = true;
        this.dirty.push(series);
      }
      const journal = this.journal;
      if (journal !== null) journal.sample(ref, tMs, value);
    } else if (result === 'duplicate') this.duplicates++;
    else this.outOfOrder++;
    return result;
  }

  /**
   * Makes the appends since the last commit durable, then publishes them to readers in other
   * threads; they are published even when the disk refuses, since memory holds them.
   */
  commit(): void {
    try {
      this.journal?.commit();
    } finally {
      this.publish();
    }
  }

  /** Writes the changed series' records, tells the readers of series, and moves the epoch on. */
  private publish(): void {
    const mem = this.memory;
    const dirty = this.dirty;
    for (let i = 0; i < dirty.length; i++) {
      dirty[i].queued = false;
      dirty[i].publish(mem);
    }
    dirty.length = 0;
    this.finishPublish();
  }

  /** Publishes every series: after a replay, a retention run, or series dropped. */
  private publishAll(): void {
    const mem = this.memory;
    for (const series of this.byRef.values()) series.publish(mem);
    this.finishPublish();
  }

  private finishPublish(): void {
    const mem = this.memory;
    if (mem.share !== null) mem.share.truncatedBefore = this.minValidT;
    this.feed?.flush();
    mem.advance();
  }

  select(matchers: readonly LabelMatcher[]): SeriesView[] {
    return this.index.select(matchers).map((s) => ({ ref: s.ref, labels: s.labels }));
  }

  /**
   * Empty for a ref this head does not hold (it may have been truncated away). Never a sample
   * before the last truncation's cutoff, though its chunk may still hold some.
   */
  samples(ref: SeriesRef, mintMs: number, maxtMs: number): SampleRun {
    const series = this.byRef.get(ref);
    if (series === undefined) return EMPTY_RUN;
    return readRange(new SeriesChunks(this.memory, series, ref), this.clampMint(mintMs), maxtMs);
  }

  cursor(ref: SeriesRef, mintMs: number, maxtMs: number): SampleCursor {
    const series = this.byRef.get(ref);
    const walk = series === undefined ? undefined : new SeriesChunks(this.memory, series, ref);
    return new SeriesCursor(walk, this.clampMint(mintMs), maxtMs);
  }

  /** The newest sample of a series, if any. */
  lastSample(ref: SeriesRef): Sample | undefined {
    return this.byRef.get(ref)?.last(this.memory, ref);
  }

  /** A window's left edge, moved up to the truncation cutoff (windows are left-open). */
  private clampMint(mintMs: number): number {
    const floor = this.minValidT - 1;
    return Math.max(mintMs, floor);
  }

  labels(ref: SeriesRef): Labels {
    return this.series(ref).labels;
  }

  labelNames(): string[] {
    return this.index.labelNames();
  }

  labelValues(name: string): string[] {
    return this.index.labelValues(name);
  }

  get seriesCount(): number {
    return this.byRef.size;
  }

  /**
   * Drops the chunks whose samples are all before `cutoff`, series left with none, and released
   * series whose last sample is still their staleness marker. Later appends before the cutoff
   * are refused, and reads never return a sample before it.
   */
  truncate(beforeMs: number): void {
    if (Number.isNaN(beforeMs)) throw new RangeError('truncate needs a time, got NaN');
    if (beforeMs > this.minValidT) this.minValidT = beforeMs;
    const removed: SeriesRef[] = [];
    for (const ref of this.released) {
      const series = this.byRef.get(ref);
      if (series?.endsStale(this.memory, ref)) removed.push(ref);
    }
    this.released.clear();
    for (const series of this.byRef.values()) {
      series.truncateBefore(this.memory, beforeMs);
      if (series.empty) removed.push(series.ref);
    }
    this.remove(removed);
    this.publishAll();
  }

  /**
   * Drops the chunks kept in chunk files numbered below `firstFile`, which a durable store's
   * retention deleted, and the series left with none.
   */
  dropFilesBefore(firstFile: number): void {
    const removed: SeriesRef[] = [];
    for (const series of this.byRef.values()) {
      series.dropFilesBefore(this.memory, firstFile);
      if (series.empty) removed.push(series.ref);
    }
    this.remove(removed);
    this.feed?.filesBefore(firstFile);
    this.publishAll();
  }

  /** Lets go of the memory copies of chunks on disk whose samples are all before `cutoff`. */
  evictBefore(cutoff: number): void {
    for (const series of this.byRef.values()) series.evictBefore(this.memory, series.ref, cutoff);
    this.publishAll();
  }

  private remove(refs: Iterable<SeriesRef>): void {
    const gone = this.index.remove(refs);
    if (gone.length === 0) return;
    for (const series of gone) series.clear(this.memory);
    const dropped = gone.map((s) => s.ref);
    this.journal?.dropped(dropped);
    this.feed?.dropped(dropped);
    this.seriesEpoch++;
  }

  /** Truncates to the retention window ending at `nowMs`; the server calls this periodically. */
  applyRetention(nowMs: number): void {
    this.truncate(nowMs - this.retentionMs);
  }

  /**
   * Memory accounting, computed by a walk over every series. The byte figures are estimates
   * for 64-bit V8 without pointer compression (Node's default): arena bytes in use (chunk
   * bytes); series objects, label objects, keys, map entries, postings and interned strings
   * (the rest). Per sample is chunk bytes over the samples in memory; samples only on disk
   * cost their list entry (24 bytes a chunk), which is counted there too.
   * `bench/ingest.ts` compares them with measured heap.
   */
  stats(): MemoryHeadStats {
    let samples = 0;
    let memorySamples = 0;
    let seriesBytes = 0;
    let damaged = 0;
    let oldest = Number.POSITIVE_INFINITY;
    let newest = Number.NEGATIVE_INFINITY;
    const mem = this.memory;
    for (const s of this.byRef.values()) {
      seriesBytes += SERIES_FIXED_BYTES + s.labelCount * LABEL_SLOT_BYTES + stringBytes(s.key);
      if (s.damaged || s.damagedByReader(mem)) damaged++;
      if (s.empty) continue;
      samples += s.held;
      memorySamples += s.memoryCount;
      const first = Math.max(s.firstTime()!, this.minValidT);
      if (first < oldest) oldest = first;
      if (s.newestT > newest) newest = s.newestT;
    }
    const chunkBytes = this.memory.bytes();
    // Records count as held by live series; freed ones are reused by the next new series.
    const recordBytes = mem.records.slotsInUse * RECORD_BYTES;
    const restBytes = seriesBytes + recordBytes + this.index.estimateBytes();
    const series = this.byRef.size;
    return {
      series,
      samples,
      bytes: chunkBytes + restBytes,
      bytesPerSeries: series > 0 ? restBytes / series : 0,
      bytesPerSample: memorySamples > 0 ? chunkBytes / memorySamples : 0,
      oldestMs: samples > 0 ? oldest : null,
      newestMs: samples > 0 ? newest : null,
      chunkBytes,
      memorySamples,
      damagedSeries: damaged,
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
