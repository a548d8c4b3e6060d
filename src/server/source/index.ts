/** QuerySource: the seam between PromQL readers and the engine or a Prometheus-compatible server. */
export { createEmbeddedSource, type EmbeddedSourceOptions } from './embedded-source.js';
export { createPrometheusSource, type PrometheusSourceOptions } from './prometheus-source.js';
export { QueryError, type QueryErrorKind } from './query-error.js';
export { type QueryOptions, type QuerySource, type QueryTime, toEpochMs } from './query-source.js';
