/** The head store's contract: what the scraper writes through and what the PromQL engine reads. */
import type { LabelMatcher, Labels } from '../model/model.js';

/** A stable handle for one series inside one store. */
export type SeriesRef = number;

/** Why an append was refused. `ok` means stored. */
export type AppendResult = 'ok' | 'out-of-order' | 'duplicate';

/** One series as a reader sees it. `labels` includes `__name__`. */
export interface SeriesView {
  readonly ref: SeriesRef;
  readonly labels: Labels;
}

/**
 * Samples of one series in a time window, columnar. Indices `[0, length)` are valid;
 * timestamps ascend strictly. Values may include the staleness marker (see `isStaleNaN`).
 */
export interface SampleRun {
  readonly t: ArrayLike<number>;
  readonly v: ArrayLike<number>;
  readonly length: number;
}

/**
 * One series' samples chunk by chunk, in time order, inside the window it was opened on.
 * Chunks that end before what the reader asks for are skipped without being decoded, so a
 * reader of sparse windows (a range function whose step is longer than its range) never
 * materialises samples it does not need.
 */
export interface SampleCursor {
  /** The current chunk's samples inside the window, `[0, length)`; valid until `next`. */
  readonly t: Float64Array;
  readonly v: Float64Array;
  readonly length: number;
  /**
   * Moves to the next chunk holding a sample after `afterMs` (default: anything in the window),
   * skipping the rest of the current chunk. False once no chunk is left.
   */
  next(afterMs?: number): boolean;
}

/** Memory accounting of the head. */
export interface HeadStats {
  readonly series: number;
  readonly samples: number;
  /** Estimated bytes held in memory, all included (index, labels, sample chunks). */
  readonly bytes: number;
  readonly bytesPerSeries: number;
  readonly bytesPerSample: number;
  readonly oldestMs: number | null;
  readonly newestMs: number | null;
  /** Bytes of the store's files (chunk files, WAL, checkpoint); absent when it keeps no files. */
  readonly diskBytes?: number;
}

/**
 * What the PromQL engine reads: series by their labels, and their samples. The head answers it
 * in its own thread, and a view of the head's shared memory answers it in a query worker.
 */
export interface HeadReader {
  /** Series whose labels satisfy every matcher, sorted by labels. Uses the inverted index. */
  select(matchers: readonly LabelMatcher[]): SeriesView[];
  /** Samples with `mint < t <= maxt` (left-open, as in Prometheus 3). */
  samples(ref: SeriesRef, mintMs: number, maxtMs: number): SampleRun;
  /** The same samples, a chunk at a time; see {@link SampleCursor}. */
  cursor(ref: SeriesRef, mintMs: number, maxtMs: number): SampleCursor;
  labelNames(): string[];
  labelValues(name: string): string[];
}

/** The head block: series in memory, their samples in compressed chunks, on disk when durable. */
export interface HeadStore extends HeadReader {
  /** Returns the series for `labels` (which must include `__name__`), creating it if new. */
  getOrCreate(labels: Labels): SeriesRef;
  /** True when `getOrCreate` would have created a new series. */
  has(labels: Labels): boolean;
  /** Appends one sample; samples must come in strictly increasing time per series. */
  append(ref: SeriesRef, tMs: number, value: number): AppendResult;
  /**
   * Makes the appends since the last commit durable (a store without a disk has nothing to do).
   * Throws a `StorageError` saying why when the disk refuses; the samples stay readable.
   */
  commit(): void;
  labels(ref: SeriesRef): Labels;
  /** Drops samples older than `beforeMs`, and series left with none. */
  truncate(beforeMs: number): void;
  /** True while the store holds series `ref` (retention or a release may have dropped it). */
  holds(ref: SeriesRef): boolean;
  /** How many more series the store takes before its series limit; `Infinity` without one. */
  seriesRoom(): number;
  /**
   * Drops these series at the next `truncate` instead of when their samples age out, unless
   * something wrote to one after its staleness marker (then another target owns it now).
   */
  release(refs: Iterable<SeriesRef>): void;
  stats(): HeadStats;
}
