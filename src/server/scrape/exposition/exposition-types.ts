/** The shapes the exposition parser hands to the scraper: samples as written, and metric family metadata. */
import type { Labels } from '../../model/model.js';

/** The two text formats a target may serve on `/metrics`. */
export type ExpositionFormat = 'prometheus' | 'openmetrics';

/** Every metric type either format can declare in a `# TYPE` line. */
export type MetricType =
  | 'counter'
  | 'gauge'
  | 'histogram'
  | 'gaugehistogram'
  | 'summary'
  | 'info'
  | 'stateset'
  | 'unknown'
  | 'untyped';

/** An OpenMetrics exemplar: `# {trace_id="x"} 1.0 1.6e9` after a sample's value. */
export interface Exemplar {
  readonly labels: Labels;
  readonly value: number;
  readonly timestampMs?: number;
}

/** One sample line of an exposition. */
export interface ExpositionSample {
  /** Metric name of this sample line, e.g. `http_requests_total` or `foo_bucket`. */
  readonly name: string;
  /**
   * The labels, WITHOUT `__name__`. Left empty for a sample whose `series` text the caller
   * passed in `ParseOptions.knownSeries` or `previousSeries`: the caller already holds its labels.
   */
  readonly labels: Labels;
  readonly value: number;
  /** Milliseconds; OpenMetrics seconds (may be fractional) are converted to ms. */
  readonly timestampMs?: number;
  readonly exemplar?: Exemplar;
  /** The raw text of name + label block exactly as written on the line: a cheap cache key. */
  readonly series: string;
}

/** What `# HELP`, `# TYPE` and `# UNIT` lines declared about one metric family. */
export interface MetricFamily {
  readonly name: string;
  readonly type: MetricType;
  readonly help?: string;
  readonly unit?: string;
}

/** Options of `parseExposition`; every field is optional. */
export interface ParseOptions {
  /**
   * Series texts (`ExpositionSample.series`) the caller already knows, such as a scrape cache's
   * keys. A sample line whose series text is one of them was parsed before, text for text, so
   * its label block is only delimited, not read, and its `labels` come back empty.
   */
  readonly knownSeries?: { has(series: string): boolean };
  /**
   * The samples of the previous exposition of the same target, in line order, as this parser
   * returned them (`series` and `name`), each known to the caller as `knownSeries`' are. A
   * target writes its series in the same order every time, so a line is first compared with the
   * text expected at its place: one native comparison instead of delimiting the label block and
   * hashing its text. A matched sample's `series` and `name` are the strings given here, so a
   * Map keyed by them is found without hashing the text again.
   */
  readonly previousSeries?: readonly PreviousSeries[];
}

/** A series of an earlier exposition (see `ParseOptions.previousSeries`). */
export interface PreviousSeries {
  /** `ExpositionSample.series` of that line. */
  readonly series: string;
  /** `ExpositionSample.name` of that line. */
  readonly name: string;
}

/** A whole parsed exposition. */
export interface Exposition {
  readonly format: ExpositionFormat;
  readonly samples: ExpositionSample[];
  readonly families: MetricFamily[];
}
