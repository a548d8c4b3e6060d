/** Wires Prometheus's HTTP API (`/prometheus/api/v1/…`, `/federate`) over the server's parts. */
import type { MiddlewareHandler } from 'hono';
import type { Alerting } from '../alerts/index.js';
import type { AuthVariables } from '../api/auth.js';
import {
  createPrometheusApi,
  type EmbeddedData,
  type ProxiedData,
} from '../api/prometheus/prometheus-api.js';
import { createSourceProxy } from '../api/prometheus/source-proxy.js';
import { upstreamQueryGuard } from '../api/upstream-queries.js';
import type { KpiEvaluator } from '../kpi/index.js';
import type { ResultLimits } from '../promql/result-bounds.js';
import type { ScrapeControl } from '../scrape/index.js';
import type { SeriesReader } from '../series-reads/series-reads.js';
import type { QuerySource } from '../source/index.js';
import type { RunningPolicy } from './policy-reload.js';

/** What the API is built from. */
export interface PrometheusApiParts {
  readonly guard: MiddlewareHandler<{ Variables: AuthVariables }>;
  readonly current: () => RunningPolicy;
  readonly evaluator: KpiEvaluator;
  readonly alerting?: Alerting;
  readonly source?: QuerySource;
  /** The head's reads; with the embedded engine only. */
  readonly reader?: SeriesReader;
  readonly scrape?: ScrapeControl;
  /** Prometheus's flag names with this server's values, for `status/flags`. */
  readonly flags?: () => Readonly<Record<string, string>>;
  /** How long the head keeps samples, as a duration. Default `2h`. */
  readonly retention?: string;
  readonly queryTimeoutMs?: number;
  /** `--query.max-samples` and `--query.max-result-bytes`: what one answer may hold, passed through or not. */
  readonly resultLimits?: Partial<ResultLimits>;
  readonly now?: () => number;
  readonly report?: (message: string, err: unknown) => void;
}

/**
 * The API's two apps, or undefined when there is nothing to answer from (a test's source with
 * neither a head nor a Prometheus behind it). The source decides the mode: a Prometheus source
 * is passed through, the embedded engine answers itself.
 *
 * @example
 * ```ts
 * const api = prometheusApiOf({ guard, current, evaluator, source, reader, scrape });
 * if (api) app.route('/prometheus', api.prefix).route('/federate', api.federate);
 * ```
 */
export function prometheusApiOf(parts: PrometheusApiParts) {
  const { current, evaluator } = parts;
  const startedAt = (parts.now ?? Date.now)();
  const setting = current().policy.source;
  let data: EmbeddedData | ProxiedData;
  if (setting.kind === 'prometheus') {
    data = {
      kind: 'proxy',
      proxy: createSourceProxy({ source: setting, maxBodyBytes: parts.resultLimits?.maxBytes }),
      // Reads pass the reader's PromQL and selectors on with the server's credentials.
      upstreamGuard: upstreamQueryGuard(() => current().policy),
    };
  } else if (parts.source && parts.reader) {
    const { reader } = parts;
    data = {
      kind: 'embedded',
      source: parts.source,
      reader,
      targets: () => parts.scrape?.health() ?? [],
      status: {
        policy: () => current().policy,
        flags: () => ({ ...parts.flags?.(), 'config.file': current().file }),
        startedAt,
        lastConfig: () => ({ atMs: Date.parse(current().version.created), ok: true }),
        retention: parts.retention ?? '2h',
        reader,
      },
    };
  } else {
    return undefined;
  }
  return createPrometheusApi({
    guard: parts.guard,
    data,
    rules: () => ({
      policy: current().policy,
      file: current().file,
      readings: evaluator.readings(),
      alerts: parts.alerting?.current() ?? [],
      lastRoundMs: evaluator.stats().lastRoundMs,
    }),
    alertmanagers: () =>
      current().policy.receivers.flatMap((r) => (r.alertmanager ? [r.alertmanager.url] : [])),
    queryTimeoutMs: parts.queryTimeoutMs,
    resultLimits: parts.resultLimits,
    now: parts.now,
    report: parts.report,
  });
}
