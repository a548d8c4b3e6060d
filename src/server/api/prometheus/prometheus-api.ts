/** Prometheus's HTTP API under one prefix (`/prometheus`), so Grafana and promtool use kpi-lights as a data source. */
import { Hono, type MiddlewareHandler } from 'hono';
import type { ResultLimits } from '../../promql/result-bounds.js';
import type { ScrapeHealth } from '../../scrape/target-health.js';
import type { SeriesReader } from '../../series-reads/series-reads.js';
import type { QuerySource } from '../../source/query-source.js';
import type { AuthVariables } from '../auth.js';
import { queryBody } from '../params/query-body.js';
import { createQueryRoutes } from '../routes/query.js';
import { apiErrors, apiFailure, prometheusShaped } from './api-reply.js';
import { createFederateRoutes } from './federate.js';
import { createMetadataRoutes } from './metadata-routes.js';
import { createQueryExtraRoutes } from './query-extras.js';
import { createRulesRoutes } from './rules-routes.js';
import type { RulesInput } from './rules-view.js';
import { createSeriesRoutes } from './series-routes.js';
import type { SourceProxy } from './source-proxy.js';
import { createStatusRoutes, type StatusInput } from './status-routes.js';

/** Where the prefix mounts: a Grafana data source URL is `https://<server>/prometheus`. */
export const PROMETHEUS_PREFIX = '/prometheus';

/** The embedded engine answers: queries, the head's series, the scraper's targets. */
export interface EmbeddedData {
  readonly kind: 'embedded';
  readonly source: QuerySource;
  readonly reader: SeriesReader;
  readonly targets: () => readonly ScrapeHealth[];
  readonly status: StatusInput;
}

/** A Prometheus source answers: every read is passed on to it. */
export interface ProxiedData {
  readonly kind: 'proxy';
  readonly proxy: SourceProxy;
  /**
   * Passed before each route that goes to the source, after the read guard: the policy's
   * `public_queries` decides whether a reader without a token may send it PromQL.
   */
  readonly upstreamGuard?: MiddlewareHandler<{ Variables: AuthVariables }>;
}

/** Options of {@link createPrometheusApi}. */
export interface PrometheusApiOptions {
  /** The read guard every route passes (`auth.read: token` makes it ask for a bearer token). */
  readonly guard: MiddlewareHandler<{ Variables: AuthVariables }>;
  readonly data: EmbeddedData | ProxiedData;
  /** kpi-lights's own rules and alerts, answered in both modes. */
  readonly rules: () => RulesInput;
  /** The Alertmanagers the policy forwards to. */
  readonly alertmanagers: () => readonly string[];
  /** `--query.timeout`, ms. */
  readonly queryTimeoutMs?: number;
  /** `--query.max-samples` and `--query.max-result-bytes`: what one answer may hold. */
  readonly resultLimits?: Partial<ResultLimits>;
  readonly now?: () => number;
  /** Where unexpected errors are reported. Default `console.error`. */
  readonly report?: (message: string, err: unknown) => void;
}

/**
 * The read routes of Prometheus's API, each with the methods Prometheus takes. Under a
 * Prometheus source these are passed on; nothing else is (no admin, no remote write), so a
 * read token can never reach the source's other routes.
 */
const READ_ROUTES: readonly (readonly [path: string, methods: readonly ('GET' | 'POST')[]])[] = [
  ['/api/v1/query', ['GET', 'POST']],
  ['/api/v1/query_range', ['GET', 'POST']],
  ['/api/v1/query_exemplars', ['GET', 'POST']],
  ['/api/v1/format_query', ['GET', 'POST']],
  ['/api/v1/series', ['GET', 'POST']],
  ['/api/v1/labels', ['GET', 'POST']],
  ['/api/v1/label/:name/values', ['GET']],
  ['/api/v1/metadata', ['GET']],
  ['/api/v1/targets', ['GET']],
  ['/api/v1/targets/metadata', ['GET']],
  ['/api/v1/alertmanagers', ['GET']],
  ['/api/v1/status/config', ['GET']],
  ['/api/v1/status/flags', ['GET']],
  ['/api/v1/status/runtimeinfo', ['GET']],
  ['/api/v1/status/buildinfo', ['GET']],
  ['/api/v1/status/tsdb', ['GET']],
  ['/federate', ['GET']],
];

/** Routes kpi-lights answers itself in both modes. */
const OWN_ROUTES: readonly (readonly [string, readonly 'GET'[]])[] = [
  ['/api/v1/rules', ['GET']],
  ['/api/v1/alerts', ['GET']],
];

function pattern(path: string): RegExp {
  return new RegExp(`^${path.replace(/:\w+/g, '[^/]+')}$`);
}

const KNOWN = [...READ_ROUTES, ...OWN_ROUTES].map(([path, methods]) => ({
  re: pattern(path),
  methods,
}));

function embeddedRoutes(data: EmbeddedData, options: PrometheusApiOptions) {
  return new Hono()
    .route(
      '/',
      createQueryRoutes({
        source: data.source,
        now: options.now,
        defaultTimeoutMs: options.queryTimeoutMs,
        resultLimits: options.resultLimits,
      }),
    )
    .route(
      '/',
      createSeriesRoutes({ reader: data.reader, maxBytes: options.resultLimits?.maxBytes }),
    )
    .route('/', createMetadataRoutes({ reader: data.reader, targets: data.targets }))
    .route('/', createStatusRoutes(data.status))
    .route('/', createQueryExtraRoutes({ alertmanagers: options.alertmanagers }));
}

/**
 * Builds the prefix's app (mount it at {@link PROMETHEUS_PREFIX}) and the root `/federate`
 * (Prometheus's own place for it; the prefix has one too). Every answer is Prometheus's
 * envelope, errors included: a missing token is `{status:"error",errorType:"unauthorized",…}`,
 * an unknown path `not_found`, a known path with another method `method_not_allowed`.
 *
 * With the embedded engine every route is answered here. With a Prometheus source the read
 * routes are passed on to it whole (see `createSourceProxy`), and `rules` and `alerts` are
 * still kpi-lights's own.
 *
 * @example
 * ```ts
 * const { prefix, federate } = createPrometheusApi({ guard, data, rules, alertmanagers });
 * app.route('/prometheus', prefix).route('/federate', federate);
 * ```
 */
export function createPrometheusApi(options: PrometheusApiOptions) {
  const { data, guard } = options;
  const report = options.report ?? ((message, err) => console.error(message, err));
  const v1 = new Hono().route('/', createRulesRoutes({ input: options.rules }));
  let federate: Hono;
  if (data.kind === 'embedded') {
    v1.route('/', embeddedRoutes(data, options));
    federate = createFederateRoutes({
      reader: data.reader,
      now: options.now,
      maxBytes: options.resultLimits?.maxBytes,
    });
  } else {
    const upstream = data.upstreamGuard ?? ((_c, next) => next());
    for (const [path, methods] of READ_ROUTES) {
      if (path === '/federate') continue;
      v1.on([...methods], path.slice('/api/v1'.length), upstream, (c) =>
        data.proxy.forward(c, new URL(c.req.url).pathname.replace(/^.*?(\/api\/v1\/)/, '$1')),
      );
    }
    federate = new Hono().get('/', upstream, (c) => data.proxy.forward(c, '/federate'));
  }
  const prefix = new Hono<{ Variables: AuthVariables }>()
    .use('*', prometheusShaped())
    .use('*', guard)
    .use('*', queryBody())
    .route('/api/v1', v1)
    .route('/federate', federate)
    .all('*', (c) => {
      const path = c.req.path.slice(PROMETHEUS_PREFIX.length) || '/';
      const known = KNOWN.find((k) => k.re.test(path));
      if (known) {
        return apiFailure(
          c,
          'method_not_allowed',
          `${c.req.method} is not allowed on ${c.req.path}; use ${known.methods.join(' or ')}`,
        );
      }
      return apiFailure(c, 'not_found', `no route for ${c.req.method} ${c.req.path}`);
    });
  prefix.onError(apiErrors(report));
  const root = new Hono<{ Variables: AuthVariables }>().use('*', guard).route('/', federate);
  return { prefix, federate: root };
}
