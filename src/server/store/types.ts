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

/** Memory accounting of the head. */
export interface HeadStats {
  readonly series: number;
  readonly samples: number;
  /** Estimated bytes held, all included (index, labels, sample chunks). */
  readonly bytes: number;
  readonly bytesPerSeries: number;
  readonly bytesPerSample: number;
  readonly oldestMs: number | null;
  readonly newestMs: number | null;
}

/** The in-memory head block. */
export interface HeadStore {
  /** Returns the series for `labels` (which must include `__name__`), creating it if new. */
  getOrCreate(labels: Labels): SeriesRef;
  /** True when `getOrCreate` would have created a new series. */
  has(labels: Labels): boolean;
  /** Appends one sample; samples must come in strictly increasing time per series. */
  append(ref: SeriesRef, tMs: number, value: number): AppendResult;
  /** Series whose labels satisfy every matcher, sorted by labels. Uses the inverted index. */
  select(matchers: readonly LabelMatcher[]): SeriesView[];
  /** Samples with `mint < t <= maxt` (left-open, as in Prometheus 3). */
  samples(ref: SeriesRef, mintMs: number, maxtMs: number): SampleRun;
  labels(ref: SeriesRef): Labels;
  labelNames(): string[];
  labelValues(name: string): string[];
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
