/** The two request metric families as prom-client metrics, read from the series `RequestMetrics` keeps. */
import type { Metric, Registry, RegistryContentType } from 'prom-client';
import { ExporterOptionsError } from './exporter-options.js';
import type { RequestSeriesSource } from './request-series.js';

/** Name of the request counter (OpenMetrics writes its family as `http_requests`). */
export const REQUESTS_TOTAL = 'http_requests_total';
/** Name of the request duration histogram, in seconds. */
export const REQUEST_DURATION_SECONDS = 'http_request_duration_seconds';

/** One sample as prom-client's registry reads it from `get()`. */
interface FamilySample {
  readonly labels: Readonly<Record<string, string | number>>;
  readonly value: number;
  readonly metricName?: string;
}

/** What `get()` hands the registry, in the shape of prom-client's own metrics. */
interface FamilySnapshot {
  readonly name: string;
  readonly help: string;
  readonly type: 'counter' | 'histogram';
  readonly aggregator: 'sum';
  readonly values: FamilySample[];
}

// Both families implement the part of prom-client's metric protocol its registry uses: `name`,
// `type`, `get()` and `reset()`. State is held in ordinary properties, not `#private` fields,
// and `get()` reads `this.name`: an OpenMetrics rendering works on `Object.create(family)` views
// (see render-metrics.ts), which private fields would reject and which rename counters.

/** What both families share: the series they read and the snapshot `get()` hands over. */
abstract class RequestFamily {
  abstract name: string;
  abstract readonly help: string;
  abstract readonly type: FamilySnapshot['type'];
  readonly aggregator = 'sum';

  constructor(
    protected readonly metrics: RequestSeriesSource,
    readonly labelNames: readonly string[],
  ) {}

  async get(): Promise<FamilySnapshot> {
    return {
      name: this.name,
      help: this.help,
      type: this.type,
      aggregator: this.aggregator,
      values: this.samples(),
    };
  }

  /** The family's samples, named after `this.name`. */
  protected abstract samples(): FamilySample[];

  abstract reset(): void;
}

/** `http_requests_total{method,route,status,…}`. */
class RequestsTotalFamily extends RequestFamily {
  name = REQUESTS_TOTAL;
  readonly help = 'HTTP requests answered, by method, route pattern and status.';
  readonly type = 'counter';

  protected samples(): FamilySample[] {
    return this.metrics.series.map((s) => ({ labels: s.labels, value: s.requests }));
  }

  reset(): void {
    for (const s of this.metrics.series) s.requests = 0;
  }
}

/** `http_request_duration_seconds{method,route,status,…}`, cumulative buckets as Prometheus wants. */
class RequestDurationFamily extends RequestFamily {
  name = REQUEST_DURATION_SECONDS;
  readonly help = 'Time from the request entering the middleware to the response, in seconds.';
  readonly type = 'histogram';

  protected samples(): FamilySample[] {
    const bucket = `${this.name}_bucket`;
    const sum = `${this.name}_sum`;
    const count = `${this.name}_count`;
    const bounds = this.metrics.bounds;
    const values: FamilySample[] = [];
    for (const s of this.metrics.series) {
      let cumulative = 0;
      for (let i = 0; i < bounds.length; i++) {
        cumulative += s.durationBuckets[i];
        values.push({
          labels: { ...s.labels, le: bounds[i] },
          value: cumulative,
          metricName: bucket,
        });
      }
      cumulative += s.durationBuckets[bounds.length];
      values.push({ labels: { ...s.labels, le: '+Inf' }, value: cumulative, metricName: bucket });
      values.push({ labels: s.labels, value: s.durationSum, metricName: sum });
      values.push({ labels: s.labels, value: s.durationCount, metricName: count });
    }
    return values;
  }

  reset(): void {
    for (const s of this.metrics.series) {
      s.durationCount = 0;
      s.durationSum = 0;
      s.durationBuckets.fill(0);
    }
  }
}

/** Registers both families on `registry`, refusing one that already holds either name. */
export function registerRequestFamilies(
  registry: Registry<RegistryContentType>,
  metrics: RequestSeriesSource,
  labelNames: readonly string[],
): void {
  for (const name of [REQUESTS_TOTAL, REQUEST_DURATION_SECONDS]) {
    if (registry.getSingleMetric(name)) {
      throw new ExporterOptionsError(
        `registry: it already holds "${name}"; give each exporter its own registry`,
      );
    }
  }
  // prom-client types `registerMetric` against its four classes only; at run time the registry
  // needs just the protocol above.
  registry.registerMetric(new RequestsTotalFamily(metrics, labelNames) as unknown as Metric);
  registry.registerMetric(new RequestDurationFamily(metrics, labelNames) as unknown as Metric);
}
