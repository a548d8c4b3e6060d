/** `createExporter`: one registry, the request metrics on it, the middleware that feeds them and the `/metrics` handler. */
import type { Handler, MiddlewareHandler } from 'hono';
import type { Registry } from 'prom-client';
import { type ExporterOptions, resolveExporterOptions } from './exporter-options.js';
import { metricsHandler } from './metrics-handler.js';
import { requestMetricsMiddleware } from './metrics-middleware.js';
import { RequestMetrics } from './request-metrics.js';

/** What {@link createExporter} returns. */
export interface Exporter {
  /** The registry the metrics live in: the one given in the options, or the exporter's own. */
  readonly registry: Registry;
  /** Counts and times every request it sees; mount it before the routes it should measure. */
  readonly middleware: MiddlewareHandler;
  /** Serves the registry in Prometheus text or OpenMetrics; mount it on `/metrics`. */
  readonly handler: Handler;
}

/**
 * Creates a Prometheus exporter for a Hono app: `http_requests_total{method,route,status}` and
 * `http_request_duration_seconds{method,route,status}` (seconds), labelled with the matched
 * route pattern, never the raw path. Options are checked here; a bad one throws an
 * `ExporterOptionsError` naming it.
 *
 * @example
 * ```ts
 * import { Hono } from 'hono';
 * import { createExporter } from 'kpi-lights/exporter';
 *
 * const exporter = createExporter({ constLabels: { service: 'filings-api', env: 'prod' } });
 * const app = new Hono();
 * app.use(exporter.middleware);
 * app.get('/metrics', exporter.handler);
 * app.get('/filings/:id', (c) => c.json({ id: c.req.param('id') }));
 * ```
 */
export function createExporter(options?: ExporterOptions): Exporter {
  const resolved = resolveExporterOptions(options);
  const metrics = new RequestMetrics(resolved);
  return {
    registry: resolved.registry,
    middleware: requestMetricsMiddleware(metrics, resolved.unmatchedRoute),
    handler: metricsHandler(resolved.registry),
  };
}

/**
 * Just the middleware, for when `/metrics` is served elsewhere; pass a `registry` to scrape it.
 *
 * @example
 * ```ts
 * const registry = new Registry();
 * app.use(metricsMiddleware({ registry }));
 * app.get('/metrics', metricsHandler(registry));
 * ```
 */
export function metricsMiddleware(options?: ExporterOptions): MiddlewareHandler {
  return createExporter(options).middleware;
}
