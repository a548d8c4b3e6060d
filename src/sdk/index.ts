/** `kpi-lights/sdk`: the typed client, its errors, the staleness rules and the API's types. */
export type {
  ClientOptions,
  HistoryOptions,
  KpiLightsClient,
  PolicyDocument,
  RequestOptions,
  RetryOptions,
  WatchEvent,
  WatchOptions,
} from './client-types.js';
export { createClient } from './create-client.js';
export { HttpError } from './errors/http-error.js';
export { KpiLightsError } from './errors/kpi-lights-error.js';
export { NetworkError } from './errors/network-error.js';
export { TimeoutError } from './errors/timeout-error.js';
export { isActionable, isStale } from './reading-freshness.js';
export * from './types.js';
