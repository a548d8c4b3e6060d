/** `kpi-lights/server`: run a KPI server in your own process, or use its parts (parser, policy, sources). */

export {
  SIGNATURE_HEADER,
  SIGNATURE_TOLERANCE_MS,
  verifySignature,
} from './alerts/channels/webhook-signature.js';
export type { AccessPolicy } from './api/auth.js';
export {
  PROBLEM_TYPE,
  ProblemError,
  type ProblemInit,
  problem,
  problemErrorHandler,
} from './api/problem.js';
export { createQueryRoutes, type QueryRoutesOptions } from './api/routes/query.js';
export {
  createServerMetrics,
  type ServerMetrics,
  STATUS_VALUE,
} from './api/routes/server-metrics.js';
export { SseHub, type SseHubOptions, type SseHubStats } from './api/stream/sse-hub.js';
export {
  type AppDeps,
  type AppType,
  createApp,
  type KpiLightsApp,
} from './compose/app.js';
export type { RunningPolicy } from './compose/policy-reload.js';
export { type ServerHandle, type StartServerOptions, startServer } from './compose/start-server.js';
export { openDatabase, type ServerDatabase } from './database/index.js';
export {
  type EngineState,
  EngineWorkerHost,
  type EngineWorkerOptions,
} from './engine-worker/engine-worker-host.js';
export { KpiHistoryStore } from './history/index.js';
export { createKpiEvaluator, type KpiEvaluator, type KpiEvaluatorOptions } from './kpi/index.js';
export {
  formatIssue,
  type LoadedPolicy,
  loadPolicyFile,
  PolicyError,
  PolicyVersionStore,
  parsePolicy,
} from './policy/index.js';
export { scrapeTargetsOf } from './policy/scrape-targets.js';
export type { ApiToken, Policy, TokenScope } from './policy/types.js';
export {
  type Exposition,
  ExpositionError,
  type ExpositionFormat,
  type MetricFamily,
  parseExposition,
  type ScrapeControl,
  ScrapeManager,
  type ScrapeManagerOptions,
} from './scrape/index.js';
export {
  createEmbeddedSource,
  createPrometheusSource,
  type PrometheusSourceOptions,
  QueryError,
  type QuerySource,
} from './source/index.js';
export { createHead, type HeadOptions, type HeadStore } from './store/index.js';
