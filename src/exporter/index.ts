/** The exporter (`kpi-lights/exporter`): Prometheus request metrics for a Hono app, served on `/metrics`. */
export { createExporter, type Exporter, metricsMiddleware } from './create-exporter.js';
export {
  DEFAULT_BUCKETS,
  DEFAULT_UNMATCHED_ROUTE,
  type ExporterOptions,
  ExporterOptionsError,
} from './exporter-options.js';
export { metricsHandler } from './metrics-handler.js';
export {
  formatFromAccept,
  type MetricsFormat,
  type RenderedMetrics,
  renderMetrics,
} from './render-metrics.js';
export { REQUEST_DURATION_SECONDS, REQUESTS_TOTAL } from './request-families.js';
export { OTHER_METHOD, STANDARD_METHODS } from './request-metrics.js';
