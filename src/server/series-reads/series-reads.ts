/** The reads Prometheus's label, series and metadata API makes of the head, and the one seam they cross. */
import type { LabelMatcher, Labels } from '../model/model.js';
import type { TargetMetadata } from '../scrape/target-metadata.js';

/**
 * Which series a read is about: any of the selectors (`match[]`), within a time range.
 * No selector means every series, as Prometheus reads `labels` without `match[]`.
 */
export interface SeriesSelection {
  /** One matcher list per `match[]`; a series matching any of them is in. */
  readonly matcherSets: readonly (readonly LabelMatcher[])[];
  /** Epoch ms, inclusive; `-Infinity` when the request names no start. */
  readonly startMs: number;
  /** Epoch ms, inclusive; `Infinity` when the request names no end. */
  readonly endMs: number;
  /** Most items answered; 0 for all. */
  readonly limit: number;
  /** Most bytes the answer's labels may take (`--query.max-result-bytes`). Default 32 MiB. */
  readonly maxBytes?: number;
}

/** A list that may have been cut at the selection's limit. */
export interface LimitedList<T> {
  readonly items: T[];
  /** True when more items matched than the limit let through. */
  readonly truncated: boolean;
  /** Set, with nothing in `items`, when the answer would pass its byte bound: why. */
  readonly tooLarge?: string;
}

/** One series' newest sample, as `/federate` hands it on. */
export interface FederatedSample {
  readonly labels: Labels;
  readonly t: number;
  readonly v: number;
}

/** A `name` → `count` row of `/api/v1/status/tsdb`, Prometheus's field names. */
export interface TsdbCount {
  readonly name: string;
  readonly value: number;
}

/** The head's cardinality, as `/api/v1/status/tsdb` serves it. */
export interface TsdbStatus {
  readonly headStats: {
    readonly numSeries: number;
    readonly numLabelPairs: number;
    /** Chunks as Prometheus's head would cut them: one per 120 samples of a series. */
    readonly chunkCount: number;
    readonly minTime: number;
    readonly maxTime: number;
  };
  readonly seriesCountByMetricName: TsdbCount[];
  readonly labelValueCountByLabelName: TsdbCount[];
  readonly memoryInBytesByLabelName: TsdbCount[];
  readonly seriesCountByLabelValuePair: TsdbCount[];
}

/** Each read: what it is asked and what it answers. They cross to the engine worker as data. */
export interface SeriesReads {
  series: { request: SeriesSelection; reply: LimitedList<Labels> };
  'label-names': { request: SeriesSelection; reply: LimitedList<string> };
  'label-values': {
    request: SeriesSelection & { readonly name: string };
    reply: LimitedList<string>;
  };
  federate: {
    request: {
      readonly matcherSets: readonly (readonly LabelMatcher[])[];
      readonly atMs: number;
      readonly lookbackMs: number;
      /** Most bytes the answer's labels may take. Default 32 MiB. */
      readonly maxBytes?: number;
    };
    reply: LimitedList<FederatedSample>;
  };
  metadata: { request: Record<string, never>; reply: TargetMetadata[] };
  'tsdb-status': { request: { readonly limit: number }; reply: TsdbStatus };
}

export type SeriesReadName = keyof SeriesReads;

/** One read as it crosses: its name and its request. */
export type SeriesReadRequest = {
  [K in SeriesReadName]: { readonly read: K; readonly body: SeriesReads[K]['request'] };
}[SeriesReadName];

/**
 * Answers the reads wherever the head is: in this thread over a `MemoryHead`, or in the engine
 * worker. Every method may reject with the worker's unavailability.
 *
 * @example
 * ```ts
 * const { items } = await reader.read('label-values', { name: 'job', matcherSets: [], startMs: -Infinity, endMs: Infinity, limit: 0 });
 * ```
 */
export interface SeriesReader {
  read<K extends SeriesReadName>(
    read: K,
    body: SeriesReads[K]['request'],
  ): Promise<SeriesReads[K]['reply']>;
}
