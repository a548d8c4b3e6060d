/** One page of the raw sample export, read where the head is read (in process or in a query worker). */
import { isStaleNaN, type Labels } from '../model/model.js';
import type { HeadReader } from '../store/types.js';

/**
 * Where the next page starts: a metric name, how many of its series were sent, and, when a
 * series was cut at a page's end, the time of the last of its samples sent.
 */
export interface ExportCursor {
  readonly name: string;
  readonly offset: number;
  readonly afterMs?: number;
}

/** What one page asks for. */
export interface ExportPageRequest {
  /** Samples with `sinceMs < t <= untilMs` (left-open, as a range selector reads them). */
  readonly sinceMs: number;
  readonly untilMs: number;
  /** Where to go on; absent for the first page. */
  readonly cursor?: ExportCursor;
  /**
   * The most samples a page holds; a series longer than what is left goes on in the next page
   * (as another record of the same series), so a page is bounded however long retention is.
   */
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
 * order, until the page holds `maxSamples` samples (a series longer than that is split across
 * pages). Staleness markers are left out: they say a series ended, which the gap in its
 * samples says too. Series without samples in the window are skipped. Each call looks up only
 * the metric it is on, so a page costs that metric's series, not the whole head; samples are
 * read through the store's cursor, a chunk at a time.
 *
 * @example
 * ```ts
 * let page = readExportPage(head, { sinceMs: 0, untilMs: Date.now(), maxSamples: 10_000 });
 * while (page.next) page = readExportPage(head, { sinceMs: 0, untilMs, cursor: page.next, maxSamples: 10_000 });
 * ```
 */
export function readExportPage(head: HeadReader, request: ExportPageRequest): ExportPage {
  const { sinceMs, untilMs, maxSamples, cursor } = request;
  const names = head.labelValues('__name__');
  let i = cursor ? names.findIndex((n) => n >= cursor.name) : 0;
  const resume = cursor && names[i] === cursor.name;
  let offset = resume ? cursor.offset : 0;
  let afterMs = resume && cursor.afterMs !== undefined ? cursor.afterMs : sinceMs;
  const series: ExportedSeries[] = [];
  let samples = 0;
  for (; i >= 0 && i < names.length; i++, offset = 0, afterMs = sinceMs) {
    const name = names[i];
    const views = head.select([{ name: '__name__', type: '=', value: name }]);
    for (; offset < views.length; offset++, afterMs = sinceMs) {
      if (samples >= maxSamples) return { series, next: { name, offset } };
      const t: number[] = [];
      const v: (number | string)[] = [];
      const c = head.cursor(views[offset].ref, Math.max(afterMs, sinceMs), untilMs);
      let full = false;
      while (!full && c.next()) {
        for (let k = 0; k < c.length; k++) {
          if (isStaleNaN(c.v[k])) continue;
          t.push(c.t[k]);
          v.push(jsonValue(c.v[k]));
          if (samples + t.length >= maxSamples) {
            full = true;
            break;
          }
        }
      }
      if (t.length > 0) {
        series.push({ labels: views[offset].labels, t, v });
        samples += t.length;
      }
      // Cut at the page's end: the series goes on after its last sample sent.
      if (full) return { series, next: { name, offset, afterMs: t[t.length - 1] } };
    }
  }
  return { series, next: null };
}
