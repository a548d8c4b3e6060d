/** Where the parser puts the samples it reads: a list of objects, or columns a scraper reuses. */
import type { Labels } from '../../model/model.js';
import type { Exemplar, ExpositionSample } from './exposition-types.js';

/** Receives each sample line as it is read; see `ExpositionSample` for the fields. */
export interface SampleSink {
  add(
    name: string,
    labels: Labels,
    value: number,
    timestampMs: number | undefined,
    exemplar: Exemplar | undefined,
    series: string,
  ): void;
}

/** The samples as objects, in line order: what `parseExposition` returns. */
export class SampleList implements SampleSink {
  readonly samples: ExpositionSample[] = [];

  add(
    name: string,
    labels: Labels,
    value: number,
    timestampMs: number | undefined,
    exemplar: Exemplar | undefined,
    series: string,
  ): void {
    this.samples.push({ name, labels, value, timestampMs, exemplar, series });
  }
}

/**
 * The samples of one exposition as columns, index for index, for a scraper that reads each body
 * of a target into the same instance: values and times go into typed arrays, so a warm scrape
 * allocates nothing per sample. Valid until the next parse into it.
 *
 * @example
 * ```ts
 * const columns = new SampleColumns();
 * parseExpositionInto(columns, 'up{job="api"} 1\n');
 * columns.length; // 1
 * columns.values[0]; // 1
 * ```
 */
export class SampleColumns implements SampleSink {
  /** Samples held, at indices `[0, length)`. */
  length = 0;
  readonly names: string[] = [];
  readonly series: string[] = [];
  readonly labels: Labels[] = [];
  values = new Float64Array(16);
  /** Milliseconds, or NaN for a line without a timestamp. */
  timestamps = new Float64Array(16);
  /** Exemplars where a line has one, else undefined. */
  readonly exemplars: (Exemplar | undefined)[] = [];
  /** Indices below this may still refer to strings of an earlier body (see `end`). */
  private filled = 0;

  /** Starts a new exposition: earlier samples are dropped. */
  begin(): void {
    // The last parse may have stopped half way (an error); its samples count as held too.
    if (this.length > this.filled) this.filled = this.length;
    this.length = 0;
  }

  add(
    name: string,
    labels: Labels,
    value: number,
    timestampMs: number | undefined,
    exemplar: Exemplar | undefined,
    series: string,
  ): void {
    const i = this.length++;
    if (i === this.values.length) this.grow();
    this.names[i] = name;
    this.series[i] = series;
    this.labels[i] = labels;
    this.values[i] = value;
    this.timestamps[i] = timestampMs ?? Number.NaN;
    this.exemplars[i] = exemplar;
  }

  /**
   * Ends an exposition. Places past its length that held an earlier, longer one's samples are
   * cleared, so their strings (slices of that body) do not keep it alive.
   */
  end(): void {
    const { length, filled } = this;
    if (filled > length) {
      this.names.fill('', length, filled);
      this.series.fill('', length, filled);
      this.labels.fill(EMPTY, length, filled);
      this.exemplars.fill(undefined, length, filled);
    }
    this.filled = length;
  }

  /**
   * Drops every sample held. A scraper calls it once a body is stored: until the next parse, the
   * strings of new lines (slices of the body) would otherwise keep that whole body alive.
   */
  clear(): void {
    this.begin();
    this.end();
  }

  /** Sample `i` as an object. */
  sample(i: number): ExpositionSample {
    const t = this.timestamps[i];
    return {
      name: this.names[i],
      labels: this.labels[i],
      value: this.values[i],
      timestampMs: Number.isNaN(t) ? undefined : t,
      exemplar: this.exemplars[i],
      series: this.series[i],
    };
  }

  /** Columns holding `samples`, for callers that have them as objects. */
  static of(samples: readonly ExpositionSample[]): SampleColumns {
    const columns = new SampleColumns();
    for (const s of samples) {
      columns.add(s.name, s.labels, s.value, s.timestampMs, s.exemplar, s.series);
    }
    columns.end();
    return columns;
  }

  private grow(): void {
    const values = new Float64Array(this.values.length * 2);
    values.set(this.values);
    this.values = values;
    const timestamps = new Float64Array(this.timestamps.length * 2);
    timestamps.set(this.timestamps);
    this.timestamps = timestamps;
  }
}

const EMPTY: Labels = Object.freeze({});
