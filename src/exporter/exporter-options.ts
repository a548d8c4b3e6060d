/** The exporter's options, their defaults, and the checks that reject a bad one before any request. */
import { Registry } from 'prom-client';
import { checkLabelName } from '../shared/label-name.js';

/** Histogram buckets in seconds: the usual SLO thresholds, 2 s among them. */
export const DEFAULT_BUCKETS: readonly number[] = [
  0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2, 5, 10,
];

/** The `route` value every request that matched no route shares. */
export const DEFAULT_UNMATCHED_ROUTE = 'unmatched';

/** The labels the exporter sets itself; a constant label may not take one of these names. */
export const REQUEST_LABEL_NAMES = ['method', 'route', 'status'] as const;

/** Names a constant label may not take: the exporter's own, and the histogram's and summary's. */
const EXPORTER_SETS: Readonly<Record<string, string>> = Object.fromEntries(
  [...REQUEST_LABEL_NAMES, 'le', 'quantile'].map((name) => [name, 'the exporter sets it itself']),
);

/** Options of {@link createExporter}; every field is optional. */
export interface ExporterOptions {
  /**
   * Where the metrics are registered. Default: a new `Registry` of the exporter's own, so the
   * prom-client global registry is never touched.
   */
  registry?: Registry;
  /**
   * Upper bounds, in seconds, of `http_request_duration_seconds`. Default {@link DEFAULT_BUCKETS}:
   * `[0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2, 5, 10]`.
   */
  buckets?: number[];
  /**
   * Labels with a fixed value on every series the exporter writes, e.g.
   * `{ service: 'filings-api', agency: 'tax', env: 'prod' }`. Default: none. Names follow the
   * Prometheus data model and may not be `method`, `route`, `status`, `le` or `quantile`.
   */
  constLabels?: Record<string, string>;
  /**
   * Also collect prom-client's process metrics (CPU, memory, event loop lag, …) into the
   * exporter's registry, with the constant labels. Default `false`: they describe the process,
   * not the HTTP service, and a second exporter or an app that already collects them on the
   * same registry would clash.
   */
  processMetrics?: boolean;
  /**
   * The `route` label of requests that matched no route, so a scanner probing random paths
   * adds one series, not one per path. Default `'unmatched'`.
   */
  unmatchedRoute?: string;
}

/** Options after defaults are merged and every field checked. */
export interface ResolvedExporterOptions {
  readonly registry: Registry;
  readonly buckets: readonly number[];
  readonly constLabels: Readonly<Record<string, string>>;
  readonly processMetrics: boolean;
  readonly unmatchedRoute: string;
}

/** Thrown by {@link createExporter} when an option is invalid; the message names the option. */
export class ExporterOptionsError extends Error {
  override readonly name = 'ExporterOptionsError';
}

/**
 * Merges the defaults into `options` once and validates them, so a bad configuration fails at
 * start-up rather than on the first request.
 */
export function resolveExporterOptions(options: ExporterOptions = {}): ResolvedExporterOptions {
  return {
    registry: options.registry ?? new Registry(),
    buckets: checkBuckets(options.buckets ?? DEFAULT_BUCKETS),
    constLabels: checkConstLabels(options.constLabels ?? {}),
    processMetrics: options.processMetrics ?? false,
    unmatchedRoute: checkUnmatchedRoute(options.unmatchedRoute ?? DEFAULT_UNMATCHED_ROUTE),
  };
}

function checkBuckets(buckets: readonly number[]): readonly number[] {
  if (!Array.isArray(buckets) || buckets.length === 0) {
    throw new ExporterOptionsError('buckets: expected a non-empty array of seconds');
  }
  for (let i = 0; i < buckets.length; i++) {
    const b = buckets[i];
    if (typeof b !== 'number' || !Number.isFinite(b)) {
      throw new ExporterOptionsError(`buckets[${i}]: ${String(b)} is not a finite number`);
    }
    if (i > 0 && b <= buckets[i - 1]) {
      throw new ExporterOptionsError(`buckets[${i}]: ${b} must be greater than ${buckets[i - 1]}`);
    }
  }
  return Object.freeze([...buckets]);
}

function checkConstLabels(labels: Record<string, string>): Readonly<Record<string, string>> {
  if (typeof labels !== 'object' || labels === null || Array.isArray(labels)) {
    throw new ExporterOptionsError('constLabels: expected an object of label name to value');
  }
  const checked: Record<string, string> = {};
  for (const [name, value] of Object.entries(labels)) {
    const refused = checkLabelName(name, { reserved: EXPORTER_SETS });
    if (refused) throw new ExporterOptionsError(`constLabels.${name}: ${refused}`);
    if (typeof value !== 'string') {
      throw new ExporterOptionsError(`constLabels.${name}: the value must be a string`);
    }
    checked[name] = value;
  }
  return Object.freeze(checked);
}

function checkUnmatchedRoute(route: string): string {
  if (typeof route !== 'string' || route === '') {
    throw new ExporterOptionsError('unmatchedRoute: expected a non-empty string');
  }
  return route;
}
