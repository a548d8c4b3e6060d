/** The request series, one per (route, method, status), counted in plain numbers on the hot path. */
import { REQUEST_LABEL_NAMES, type ResolvedExporterOptions } from './exporter-options.js';
import { collectProcessMetrics } from './process-metrics.js';
import { registerRequestFamilies } from './request-families.js';
import { RequestSeries, type RequestSeriesSource } from './request-series.js';

/** The `method` label of every method outside {@link STANDARD_METHODS}. */
export const OTHER_METHOD = 'other';
/** The methods of RFC 9110 plus PATCH; anything else a client invents collapses to `other`. */
export const STANDARD_METHODS: ReadonlySet<string> = new Set([
  'GET',
  'HEAD',
  'POST',
  'PUT',
  'DELETE',
  'CONNECT',
  'OPTIONS',
  'TRACE',
  'PATCH',
]);

/**
 * `http_requests_total` and `http_request_duration_seconds` for one registry.
 *
 * prom-client's own `Counter` and `Histogram` hash and validate the label set on every call
 * (about 0.6 µs per request for the pair, children included). Here a request costs three map
 * lookups on strings the router already holds and a few additions; prom-client still renders
 * the series, through the two metric families registered in `request-families.ts`.
 */
export class RequestMetrics implements RequestSeriesSource {
  /** Every series in creation order, which is the order they are exposed in. */
  readonly series: RequestSeries[] = [];
  /** Upper bounds of the duration buckets, in seconds. */
  readonly bounds: Float64Array;
  readonly #constLabels: Readonly<Record<string, string>>;
  /** route → method → status → series. Every level is bounded: routes, methods, statuses. */
  readonly #byRoute = new Map<string, Map<string, Map<number, RequestSeries>>>();

  constructor(options: ResolvedExporterOptions) {
    this.bounds = Float64Array.from(options.buckets);
    this.#constLabels = options.constLabels;
    registerRequestFamilies(options.registry, this, [
      ...REQUEST_LABEL_NAMES,
      ...Object.keys(options.constLabels),
    ]);
    if (options.processMetrics) {
      collectProcessMetrics(options.registry, options.constLabels);
    }
  }

  /** Counts one request and observes its duration. `method` is the raw request method. */
  record(method: string, route: string, status: number, seconds: number): void {
    // Normalised before the lookup, so invented methods cannot grow the maps either.
    const m = STANDARD_METHODS.has(method) ? method : OTHER_METHOD;
    let byMethod = this.#byRoute.get(route);
    if (byMethod === undefined) this.#byRoute.set(route, (byMethod = new Map()));
    let byStatus = byMethod.get(m);
    if (byStatus === undefined) byMethod.set(m, (byStatus = new Map()));
    let series = byStatus.get(status);
    if (series === undefined) byStatus.set(status, (series = this.#newSeries(m, route, status)));

    series.requests++;
    series.durationCount++;
    series.durationSum += seconds;
    // Buckets are inclusive upper bounds (le); a dozen compares beat a binary search here.
    const bounds = this.bounds;
    let i = 0;
    while (i < bounds.length && seconds > bounds[i]) i++;
    series.durationBuckets[i]++;
  }

  #newSeries(method: string, route: string, status: number): RequestSeries {
    const labels = { ...this.#constLabels, method, route, status: String(status) };
    const series = new RequestSeries(labels, this.bounds.length);
    this.series.push(series);
    return series;
  }
}
