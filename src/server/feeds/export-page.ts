/** One page of the raw sample export, read where the head lives (in process or in the engine worker). */
import { isStaleNaN, type Labels } from '../model/model.js';
import type { HeadStore } from '../store/types.js';

/** Where the next page starts: a metric name and how many of its series were sent. */
export interface ExportCursor {
  readonly name: string;
  readonly offset: number;
}

/** What one page asks for. */
export interface ExportPageRequest {
  /** Samples with `sinceMs < t <= untilMs` (left-open, as a range selector reads them). */
  readonly sinceMs: number;
  readonly untilMs: number;
  /** Where to go on; absent for the first page. */
  readonly cursor?: ExportCursor;
  /** Stop adding series once the page holds this many samples (a page has at least one series). */
  readonly maxSamples: number;
}

/** One series' samples in the window: times in ms, values with NaN and infinities as Prometheus writes them. */
export interface ExportedSeries {
  readonly labels: Labels;
  readonly t: number[];
  readonly v: (number | string)[];
}

/** A page, and where the next one starts (`null`: this was the last). */
export interface ExportPage {
  readonly series: ExportedSeries[];
  readonly next: ExportCursor | null;
}

/** Sample values JSON can carry: finite numbers as they are, the rest as Prometheus's text. */
function jsonValue(v: number): number | string {
  if (Number.isFinite(v)) return v;
  if (Number.isNaN(v)) return 'NaN';
  return v > 0 ? '+Inf' : '-Inf';
}

/**
 * Reads series after `cursor`, metric by metric in name order and each metric's series in label
 * order, until the page holds `maxSamples` samples. Staleness markers are left out: they say a
 * series ended, which the gap in its samples says too. Series without samples in the window are
 * skipped. Each call looks up only the metric it is on, so a page costs that metric's series,
 * not the whole head.
 *
 * @example
 * ```ts
 * let page = readExportPage(head, { sinceMs: 0, untilMs: Date.now(), maxSamples: 10_000 });
 * while (page.next) page = readExportPage(head, { sinceMs: 0, untilMs, cursor: page.next, maxSamples: 10_000 });
 * ```
 */
export function readExportPage(head: HeadStore, request: ExportPageRequest): ExportPage {
  const { sinceMs, untilMs, maxSamples, cursor } = request;
  const names = head.labelValues('__name__');
  let i = cursor ? names.findIndex((n) => n >= cursor.name) : 0;
  let offset = cursor && names[i] === cursor.name ? cursor.offset : 0;
  const series: ExportedSeries[] = [];
  let samples = 0;
  for (; i >= 0 && i < names.length; i++, offset = 0) {
    const name = names[i];
    const views = head.select([{ name: '__name__', type: '=', value: name }]);
    for (; offset < views.length; offset++) {
      if (series.length > 0 && samples >= maxSamples) return { series, next: { name, offset } };
      const run = head.samples(views[offset].ref, sinceMs, untilMs);
      const t: number[] = [];
      const v: (number | string)[] = [];
      for (let k = 0; k < run.length; k++) {
        if (isStaleNaN(run.v[k])) continue;
        t.push(run.t[k]);
        v.push(jsonValue(run.v[k]));
      }
      if (t.length === 0) continue;
      series.push({ labels: views[offset].labels, t, v });
      samples += t.length;
    }
  }
  return { series, next: null };
}
