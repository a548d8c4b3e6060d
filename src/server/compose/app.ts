/** Wires the KPI server's parts into one Hono app (`createApp`) and runs it on a port (`startServer`). */
import { Hono, type MiddlewareHandler, type Schema } from 'hono';
import type { StreamEvents } from '../../sdk/types.js';
import type { Alerting, OutboxStats } from '../alerts/index.js';
import { type AccessPolicy, type AuthVariables, requireScope } from '../api/auth.js';
import { createOpenApiRoutes } from '../api/openapi/openapi-routes.js';
import { queryBody } from '../api/params/query-body.js';
import { policyCors } from '../api/policy-cors.js';
import { problemErrorHandler, problemNotFound } from '../api/problem.js';
import { PROMETHEUS_PREFIX } from '../api/prometheus/prometheus-api.js';
import { createAlertRoutes } from '../api/routes/alerts.js';
import { createEmbedRoutes } from '../api/routes/embed.js';
import { createExportRoutes } from '../api/routes/feeds.js';
import type { ReadinessCheck } from '../api/routes/health.js';
import { createHealthRoutes } from '../api/routes/health.js';
import { createKpiBudgetRoutes } from '../api/routes/kpi-budget.js';
import { createKpiRoutes } from '../api/routes/kpis.js';
import { createPolicyRoutes } from '../api/routes/policy.js';
import { createQueryRoutes } from '../api/routes/query.js';
import { createReloadRoutes } from '../api/routes/reload.js';
import { createServerMetrics, type ServerMetrics } from '../api/routes/server-metrics.js';
import { createSilenceRoutes } from '../api/routes/silences.js';
import { createTargetRoutes } from '../api/routes/targets.js';
import type { SseHub } from '../api/stream/sse-hub.js';
import { createStreamRoutes, snapshotEvent } from '../api/stream/stream.js';
import { upstreamQueryGuard } from '../api/upstream-queries.js';
import type { ServerDatabase } from '../database/index.js';
import type { ExportPage, ExportPageRequest } from '../feeds/export-page.js';
import { exportSettleMs } from '../feeds/export-settle.js';
import { type KpiHistoryStore, sourceHistory } from '../history/index.js';
import { ErrorBudgets } from '../kpi/error-budget.js';
import type { KpiEvaluator } from '../kpi/index.js';
import { type PolicyVersionStore, parsePolicy } from '../policy/index.js';
import {
  createPolicyGovernance,
  type PolicyGovernance,
  type ReloadOutcome,
} from '../policy/policy-governance.js';
import { refuseSourceChange, refuseStorageChange } from '../policy/source-change.js';
import type { Policy } from '../policy/types.js';
import type { ResultLimits } from '../promql/result-bounds.js';
import { type ScrapeControl, toTargetHealth } from '../scrape/index.js';
import type { SeriesReader } from '../series-reads/series-reads.js';
import type { QuerySource } from '../source/index.js';
import type { HeadStats, HeadStore } from '../store/index.js';
import { type RunningPolicy, reloadPolicy } from './policy-reload.js';
import { prometheusApiOf } from './prometheus-api-parts.js';

/** What {@link createApp} wires together. Parts marked optional leave their routes out or idle. */
export interface AppDeps {
  /** The policy loaded at start, with its recorded version. */
  readonly policy: RunningPolicy;
  readonly versions: PolicyVersionStore;
  readonly history: KpiHistoryStore;
  readonly evaluator: KpiEvaluator;
  /** Scrape targets: `/api/v1/targets`, and reloaded with the policy (a `ScrapeManager`, or the engine worker). */
  readonly scrape?: ScrapeControl;
  /** Serves Prometheus's `/api/v1/query` and `/api/v1/query_range` when given. */
  readonly source?: QuerySource;
  /**
   * The head's label, series and metadata reads: with `source`, the embedded engine's whole
   * Prometheus API under `/prometheus` and `/federate`. A Prometheus source is passed through
   * there without it.
   */
  readonly reader?: SeriesReader;
  /** Prometheus's flag names with this server's values, for `/prometheus/api/v1/status/flags`. */
  readonly serverFlags?: () => Readonly<Record<string, string>>;
  /** How long the head keeps samples, as a duration, for the same API's runtime info. */
  readonly headRetention?: string;
  /** One page of the raw sample feed, where the head is (`/api/v1/export/samples`); absent: 501. */
  readonly exportSamples?: (request: ExportPageRequest) => Promise<ExportPage>;
  /** Time limit of a query on the query API, and the most a request may ask (`--query.timeout`). */
  readonly queryTimeoutMs?: number;
  /** Most samples and bytes a query API answer may hold (`--query.max-samples`, `--query.max-result-bytes`). */
  readonly queryResultLimits?: Partial<ResultLimits>;
  /** For head size on `/metrics`. */
  readonly head?: HeadStore;
  /** Head size on `/metrics` when the head lives elsewhere (the engine worker); wins over `head`. */
  readonly headStats?: () => HeadStats;
  /** More `/readyz` checks, by name (e.g. `engine`: the engine worker is up). */
  readonly readiness?: Readonly<Record<string, ReadinessCheck>>;
  /** For `/readyz`. */
  readonly database?: ServerDatabase;
  /**
   * The live stream (`createKpiHub`). The app serves it and announces policy changes on it;
   * readings reach it from the evaluator's `onReading`, wired where the evaluator is built.
   */
  readonly hub: SseHub<StreamEvents>;
  /**
   * The alert core: `/api/v1/alerts`, `/api/v1/silences`, and its changes as the stream's
   * `alert` events once started. Without it those routes are absent.
   */
  readonly alerting?: Alerting;
  /** The alert outbox's counts for `/metrics` (given up, owed). */
  readonly outboxStats?: () => OutboxStats;
  /** The server's own registry; default a new one fed from these parts. */
  readonly metrics?: ServerMetrics;
  /** Reads the policy file's text again, for a reload (SIGHUP, `POST /-/reload`); none, none. */
  readonly readPolicyFile?: () => string;
  /** Called with each accepted policy text after it runs, e.g. to write it back to its file. */
  readonly onPolicyAccepted?: (running: RunningPolicy) => void;
  /** `--storage.retention`, ms: a changed policy is checked against it as the first one was. */
  readonly storageRetentionMs?: number;
  /** Where unexpected request errors are reported. Default `console.error`. */
  readonly report?: (message: string, err: unknown) => void;
  readonly now?: () => number;
}

/** A wired app: the routes, the live parts, and the switch that starts and stops the loops. */
export interface KpiLightsApp {
  readonly app: AppType;
  readonly hub: SseHub<StreamEvents>;
  readonly metrics: ServerMetrics;
  /** The policy running now (changes on an accepted `PUT /api/v1/policy`). */
  current(): RunningPolicy;
  /**
   * Reads the policy file again and, when it changed, makes it the next version, authored by
   * whoever asked (`SIGHUP`, a token's name), or under the two-person rule a proposal; a
   * refused file is audited and changes nothing.
   */
  reload(request: ReloadRequest): Promise<ReloadOutcome>;
  /** Starts scraping and evaluating; readings flow to whoever the evaluator was built to tell. */
  start(): void;
  /** Ends every stream, stops the loops and waits for work in flight. Idempotent. */
  stop(): Promise<void>;
}

/** Who asks for a reload (`SIGHUP`, or a token's name) and why. */
export interface ReloadRequest {
  readonly author: string;
  readonly reason: string;
}

/** The running policy, swapped whole on an accepted change. */
interface PolicyState {
  get(): RunningPolicy;
  set(next: RunningPolicy): void;
}

/** What each route builder reads: the deps, the running policy, and the parts made from them. */
interface RouteParts {
  readonly deps: AppDeps;
  readonly hub: SseHub<StreamEvents>;
  readonly metrics: ServerMetrics;
  readonly state: PolicyState;
  readonly reload: (request: ReloadRequest) => Promise<ReloadOutcome>;
  /** The running policy's tokens and read rule, read on every request. */
  readonly access: () => AccessPolicy;
  readonly readGuard: MiddlewareHandler<{ Variables: AuthVariables }>;
}

/** The app's routes: our API under `/api/v1`, the root routes, and Prometheus's API under its prefix. */
function buildRoutes(
  deps: AppDeps,
  parts: Pick<RouteParts, 'hub' | 'metrics' | 'state' | 'reload'>,
) {
  const access = (): AccessPolicy => parts.state.get().policy.auth;
  const routes: RouteParts = { deps, ...parts, access, readGuard: requireScope('read', access) };
  const governance = policyGovernanceOf(routes);
  const v1 = ownApi(routes, governance);
  mountAlertApi(v1, routes);
  mountQueryApi(v1, routes);
  // Generated from the routes' own descriptions at the first request, when every route is mounted.
  v1.route('/openapi.json', createOpenApiRoutes({ app: () => app }));
  const app = rootRoutes(routes, v1);
  mountPrometheusApi(app, routes);
  app.onError(problemErrorHandler({ report: deps.report }));
  app.notFound(problemNotFound);
  return { app, governance };
}

/** The gate every policy change goes through; an accepted one is swapped in and announced. */
function policyGovernanceOf({ deps, hub, state }: RouteParts): PolicyGovernance {
  const { evaluator, scrape, versions } = deps;
  const parse = (text: string): Policy =>
    parsePolicy(text, state.get().file, { storageRetentionMs: deps.storageRetentionMs });
  const swap = (next: RunningPolicy) => {
    state.set(next);
    // Viewers learn at once which KPIs went away; changed ones follow with the next round.
    hub.publish(
      'snapshot',
      snapshotEvent(
        evaluator.readings(),
        next.version.version,
        deps.alerting?.current(),
        (deps.now ?? Date.now)(),
      ),
    );
    deps.onPolicyAccepted?.(next);
  };
  return createPolicyGovernance({
    versions,
    proposals: versions.proposals,
    current: () => state.get(),
    parse,
    apply: (text, policy, change) => {
      // The source decides whether a worker and scraper run at all, and the sample store is
      // opened with its retention: both change only on restart.
      refuseSourceChange(state.get().policy, policy, state.get().file);
      refuseStorageChange(state.get().policy, policy, state.get().file);
      return reloadPolicy(
        { versions, evaluator, scrape, swap },
        state.get().file,
        text,
        policy,
        change,
      );
    },
  });
}

/** Our own API, each route group path-relative and mounted once under its name. */
function ownApi(parts: RouteParts, governance: PolicyGovernance) {
  const { deps, state, hub, access } = parts;
  const { history, scrape, versions } = deps;
  return new Hono<{ Variables: AuthVariables }>()
    .route('/kpis', kpiApi(parts))
    .route(
      '/kpis',
      createKpiBudgetRoutes({
        kpis: () => state.get().policy.kpis,
        budgets: new ErrorBudgets(history),
        now: deps.now,
      }),
    )
    .route(
      '/targets',
      createTargetRoutes({
        // The source knows where the data comes from: our scraper, or a remote Prometheus's.
        health: () => deps.source?.targets?.() ?? (scrape?.health() ?? []).map(toTargetHealth),
      }),
    )
    .route('/stream', createStreamRoutes({ hub }))
    .route(
      '/export',
      createExportRoutes({
        access,
        samples: deps.exportSamples,
        history,
        settleMs: () => exportSettleMs(state.get().policy),
        now: deps.now,
      }),
    )
    .route(
      '/policy',
      createPolicyRoutes({
        current: () => state.get(),
        versions,
        proposals: versions.proposals,
        governance,
        access,
        now: deps.now,
      }),
    );
}

/** The KPI routes: readings, and history from the store or, when the policy says so, the source. */
function kpiApi({ deps, state }: RouteParts) {
  return createKpiRoutes({
    evaluator: deps.evaluator,
    history: deps.history,
    kpiIds: () => state.get().policy.kpis.map((k) => k.id),
    evaluationIntervalMs: () => state.get().policy.evaluation.intervalMs,
    fromSource: (id, range) => {
      const { policy } = state.get();
      const kpi = policy.kpis.find((k) => k.id === id);
      if (policy.history.from !== 'source' || !deps.source || !kpi) return undefined;
      return sourceHistory(deps.source, kpi, range, state.get().version.version);
    },
    now: deps.now,
  });
}

/** Alerts and silences on our API, when the server has an alert core. */
function mountAlertApi<S extends Schema>(
  v1: Hono<{ Variables: AuthVariables }, S>,
  { deps, access }: RouteParts,
): void {
  if (!deps.alerting) return;
  v1.route('/alerts', createAlertRoutes({ alerting: deps.alerting })).route(
    '/silences',
    createSilenceRoutes({ silences: deps.alerting.silences, access }),
  );
}

/** Prometheus's query API shares the v1 prefix, as Prometheus has it; only with a source to ask. */
function mountQueryApi<S extends Schema>(
  v1: Hono<{ Variables: AuthVariables }, S>,
  { deps, state }: RouteParts,
): void {
  if (!deps.source) return;
  // Before the body is read: a refused reader costs no more than its headers.
  const upstream = upstreamQueryGuard(() => state.get().policy);
  v1.use('/query', upstream).use('/query_range', upstream);
  v1.use('/query', queryBody()).use('/query_range', queryBody());
  v1.route(
    '/',
    createQueryRoutes({
      source: deps.source,
      now: deps.now,
      defaultTimeoutMs: deps.queryTimeoutMs,
      resultLimits: deps.queryResultLimits,
    }),
  );
}

/** The root app: CORS, the read guard, probes, `/metrics`, the components bundle, reload, and our API. */
function rootRoutes(parts: RouteParts, v1: ReturnType<typeof ownApi>) {
  const { deps, state, metrics, reload, access, readGuard } = parts;
  return (
    new Hono<{ Variables: AuthVariables }>()
      .use(
        '*',
        policyCors(() => state.get().policy),
      )
      .use('/api/*', readGuard)
      .use('/metrics', readGuard)
      // Probes and the server's own metrics stay at the root, where orchestrators and scrapers look.
      .route(
        '/',
        createHealthRoutes({
          checks: {
            policy: () => state.get().policy !== undefined,
            database: () => deps.database?.open ?? true,
            evaluated: () => deps.evaluator.stats().rounds > 0,
            ...deps.readiness,
          },
        }),
      )
      .route('/', metrics.routes)
      // The components bundle, public like any script: the API it calls is what the policy guards.
      .route('/', createEmbedRoutes())
      .route('/', createReloadRoutes({ reload, access }))
      .route('/api/v1', v1)
  );
}

/** Prometheus's whole read API, under its own prefix so it never collides with ours. */
function mountPrometheusApi<S extends Schema>(
  app: Hono<{ Variables: AuthVariables }, S>,
  { deps, state, readGuard }: RouteParts,
): void {
  const prometheus = prometheusApiOf({
    guard: readGuard,
    current: state.get,
    evaluator: deps.evaluator,
    alerting: deps.alerting,
    source: deps.source,
    reader: deps.reader,
    scrape: deps.scrape,
    flags: deps.serverFlags,
    retention: deps.headRetention,
    queryTimeoutMs: deps.queryTimeoutMs,
    resultLimits: deps.queryResultLimits,
    now: deps.now,
    report: deps.report,
  });
  if (prometheus)
    app.route(PROMETHEUS_PREFIX, prometheus.prefix).route('/federate', prometheus.federate);
}

/**
 * Wires the API over the given parts: KPIs, history, targets, stream, policy (read and change),
 * health, the server's own `/metrics`, and Prometheus's query API when a source is given.
 * Reading needs a token when the policy says `auth.read: token`; every change needs `write`.
 * CORS follows the policy's origin allowlist. Nothing runs until `start()`.
 *
 * @example
 * ```ts
 * const server = createApp({ policy, versions, history, evaluator, hub, scrape, source });
 * server.start();
 * const res = await server.app.request('/api/v1/kpis');
 * await server.stop();
 * ```
 */
export function createApp(deps: AppDeps): KpiLightsApp {
  const { evaluator, scrape } = deps;
  let running = deps.policy;
  const state: PolicyState = { get: () => running, set: (next) => (running = next) };
  const { hub } = deps;
  const metrics =
    deps.metrics ??
    createServerMetrics({
      evaluation: () => evaluator.stats(),
      stream: () => hub.stats,
      readings: () => evaluator.readings(),
      head: deps.headStats ?? (deps.head && (() => deps.head!.stats())),
      outbox: deps.outboxStats,
      targets: scrape && (() => scrape.health()),
    });
  // Late-bound: the reload goes through the same gate (and queue) as every other change.
  let gate: PolicyGovernance | undefined;
  const reload = async (request: ReloadRequest): Promise<ReloadOutcome> => {
    if (!deps.readPolicyFile || !gate) throw new Error('this server has no policy file to reload');
    return gate.reload(deps.readPolicyFile(), request);
  };
  const { app, governance } = buildRoutes(deps, { hub, metrics, state, reload });
  gate = governance;
  let started = false;
  let stopping: Promise<void> | undefined;
  let stopAlertEvents: (() => void) | undefined;
  return {
    app,
    hub,
    metrics,
    current: state.get,
    reload,
    start() {
      if (started) return;
      started = true;
      stopAlertEvents = deps.alerting?.onAlert((alert) => hub.publish('alert', alert));
      scrape?.start();
      evaluator.start();
    },
    stop() {
      stopping ??= (async () => {
        stopAlertEvents?.();
        hub.close();
        await Promise.all([scrape?.stop(), evaluator.stop()]);
      })();
      return stopping;
    },
  };
}

/** The app's routes, for typed clients (`hono/client`) and tests. */
export type AppType = ReturnType<typeof buildRoutes>['app'];
