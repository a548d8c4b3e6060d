/** The synthetic series every scrape writes about itself: `up`, `scrape_duration_seconds` and friends. */
import type { Labels } from '../model/model.js';
import type { HeadStore, SeriesRef } from '../store/types.js';
import { appendRecreating, markStale } from './append-scrape.js';

/** Names of the synthetic series, in the order written. */
export const REPORT_SERIES = [
  'up',
  'scrape_duration_seconds',
  'scrape_samples_scraped',
  'scrape_samples_post_metric_relabeling',
  'scrape_series_added',
] as const;

/** The figures of one scrape that become synthetic samples. */
export interface ScrapeFigures {
  readonly up: boolean;
  readonly durationMs: number;
  readonly samplesScraped: number;
  /** Samples left after relabelling; with no relabelling, the samples written. */
  readonly samplesPostRelabeling: number;
  readonly seriesAdded: number;
}

/**
 * Writes the synthetic series of one target, labelled with the target labels only. Refs are
 * resolved once and kept, as they are the same for every scrape.
 *
 * @example
 * ```ts
 * const report = new ReportSeries(store, target.targetLabels);
 * report.write(t, { up: true, durationMs: 12, samplesScraped: 40, samplesPostRelabeling: 40, seriesAdded: 0 });
 * ```
 */
export class ReportSeries {
  readonly #store: HeadStore;
  readonly #labels: Labels[];
  /** Created at the first write, so a target never scraped leaves no empty series behind. */
  #refs: SeriesRef[] | undefined;

  constructor(store: HeadStore, targetLabels: Labels) {
    this.#store = store;
    this.#labels = REPORT_SERIES.map((name) => ({ ...targetLabels, __name__: name }));
  }

  /** Appends one sample to each synthetic series at `t`. */
  write(t: number, f: ScrapeFigures): void {
    const values = [
      f.up ? 1 : 0,
      f.durationMs / 1000,
      f.samplesScraped,
      f.samplesPostRelabeling,
      f.seriesAdded,
    ];
    const refs = (this.#refs ??= this.#labels.map((l) => this.#store.getOrCreate(l)));
    for (let i = 0; i < values.length; i++) {
      refs[i] = appendRecreating(this.#store, refs[i], t, values[i], () => this.#labels[i]).ref;
    }
  }

  /** Refs of the synthetic series written so far (none before the first write). */
  refs(): readonly SeriesRef[] {
    return this.#refs ?? [];
  }

  /** Marks every synthetic series stale at `t`: the target is gone. */
  markStale(t: number): void {
    if (this.#refs === undefined) return;
    markStale(
      this.#store,
      this.#refs.map((ref) => ({ ref })),
      t,
    );
  }
}
