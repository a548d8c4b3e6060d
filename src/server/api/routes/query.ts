/** Prometheus-compatible `/api/v1/query` and `/api/v1/query_range` over any QuerySource. */
import { type Context, Hono } from 'hono';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import { describeRoute } from 'hono-openapi';
import { errorMessage } from '../../../shared/error-message.js';
import { parseErrorText } from '../../promql/error-position.js';
import { PromqlError } from '../../promql/promql-error.js';
import { emptyQueryStats } from '../../promql/query-stats.js';
import type { QueryResult } from '../../promql/result.js';
import {
  checkResultSize,
  DEFAULT_MAX_RESULT_BYTES,
  type ResultLimits,
} from '../../promql/result-bounds.js';
import { toQueryError } from '../../source/embedded-source.js';
import { QueryError, type QueryErrorKind } from '../../source/query-error.js';
import type { QueryOptions, QuerySource } from '../../source/query-source.js';
import { queryDocs } from '../openapi/route-docs.js';
import {
  ParamError,
  parsePrometheusDuration,
  parsePrometheusTime,
} from '../params/prometheus-params.js';
import {
  PROMETHEUS_ERROR_STATUS,
  type PrometheusErrorType,
  prometheusErrorBody,
  prometheusStats,
  toPrometheusData,
} from '../prometheus-json.js';

export interface QueryRoutesOptions {
  /** Who evaluates the queries. */
  readonly source: QuerySource;
  /**
   * Time limit when the request names none, and the most one may ask for (as Prometheus's
   * `--query.timeout`), in ms. Default: 120 000 (2 m).
   */
  readonly defaultTimeoutMs?: number;
  /** Most points a range query may ask per series. Default: 11 000, as Prometheus. */
  readonly maxPointsPerSeries?: number;
  /**
   * Most samples and bytes an answer may hold (`--query.max-samples`,
   * `--query.max-result-bytes`), checked before it is turned into JSON: an answer past them
   * gets 422. Default: 50 000 000 samples, 32 MiB.
   */
  readonly resultLimits?: Partial<ResultLimits>;
  /** The clock for `time` when the request names none. Default: `Date.now`. */
  readonly now?: () => number;
}

const ERROR_TYPE_OF: Record<QueryErrorKind, PrometheusErrorType> = {
  bad_data: 'bad_data',
  unsupported: 'bad_data',
  execution: 'execution',
  limit: 'execution',
  timeout: 'timeout',
  canceled: 'canceled',
  unavailable: 'unavailable',
};

type Params = (name: string) => string | undefined;

async function readParams(c: Context): Promise<Params> {
  let form: Record<string, unknown> = {};
  if (c.req.method === 'POST') {
    const type = c.req.header('content-type') ?? '';
    if (
      type.includes('application/x-www-form-urlencoded') ||
      type.includes('multipart/form-data')
    ) {
      form = await c.req.parseBody();
    }
  }
  // Like Go's FormValue: the body wins over the URL.
  return (name) => {
    const v = form[name];
    return typeof v === 'string' ? v : c.req.query(name);
  };
}

function param<T>(name: string, text: string, parse: (s: string) => T): T {
  try {
    return parse(text);
  } catch (err) {
    if (err instanceof ParamError)
      throw new ParamError(`invalid parameter "${name}": ${err.message}`);
    throw err;
  }
}

function fail(c: Context, type: PrometheusErrorType, message: string) {
  // 499 (client closed) is outside Hono's status list, but Node sends it as is.
  return c.json(
    prometheusErrorBody(type, message),
    PROMETHEUS_ERROR_STATUS[type] as ContentfulStatusCode,
  );
}

function failFrom(c: Context, err: unknown, query: string) {
  if (err instanceof ParamError) return fail(c, 'bad_data', err.message);
  if (err instanceof PromqlError) err = toQueryError(err);
  if (err instanceof QueryError) {
    const type = ERROR_TYPE_OF[err.kind];
    // Prometheus names the query parameter when the query itself cannot be read, and says where.
    const where =
      err.position === undefined ? err.message : parseErrorText(query, err.position, err.message);
    const message = err.kind === 'bad_data' ? `invalid parameter "query": ${where}` : err.message;
    return fail(c, type, message);
  }
  return fail(c, 'internal', errorMessage(err));
}

/**
 * The query routes of Prometheus's HTTP API (GET, or POST with a form body), answering in its JSON.
 * @example
 * const app = new Hono().route('/api/v1', createQueryRoutes({ source: createEmbeddedSource(engine) }));
 * await app.request('/api/v1/query?query=up&time=1700000000');
 */
export function createQueryRoutes(options: QueryRoutesOptions) {
  // `??`, not a spread of defaults: a caller passing `now: undefined` must still get a clock.
  const source = options.source;
  const defaultTimeoutMs = options.defaultTimeoutMs ?? 120_000;
  const maxPointsPerSeries = options.maxPointsPerSeries ?? 11_000;
  const now = options.now ?? Date.now;
  const resultLimits: ResultLimits = {
    maxSamples: options.resultLimits?.maxSamples ?? 50_000_000,
    maxBytes: options.resultLimits?.maxBytes ?? DEFAULT_MAX_RESULT_BYTES,
  };

  /**
   * The query's time limit, a signal that fires when the client goes away, and, for
   * `stats=all`, the record its source fills. The limit is left to the source, which measures
   * it on the query's own work: a cheap query with `timeout=1ms` answers, as in Prometheus.
   */
  function limits(c: Context, get: Params): QueryOptions {
    const text = get('timeout');
    const asked = text ? param('timeout', text, parsePrometheusDuration) : defaultTimeoutMs;
    const timeoutMs = Math.max(1, Math.min(asked, defaultTimeoutMs));
    const stats = get('stats') ? emptyQueryStats() : undefined;
    return { signal: c.req.raw.signal, timeoutMs, ...(stats && { stats }) };
  }

  /** The success body, with Prometheus's `stats` when they were asked for. */
  function answer(c: Context, result: QueryResult, opts: QueryOptions, begun: number) {
    // The embedded engine has bounded the answer already; one from a remote source is checked
    // here, before it is serialised on this thread.
    checkResultSize(result, resultLimits);
    const data = toPrometheusData(result);
    if (!opts.stats) return c.json({ status: 'success', data });
    return c.json({
      status: 'success',
      data: { ...data, stats: prometheusStats(opts.stats, performance.now() - begun) },
    });
  }

  async function instant(c: Context) {
    const begun = performance.now();
    let query = '';
    try {
      const get = await readParams(c);
      query = get('query') ?? '';
      const timeText = get('time');
      const time = timeText ? param('time', timeText, parsePrometheusTime) : now();
      const opts = limits(c, get);
      return answer(c, await source.instant(query, time, opts), opts, begun);
    } catch (err) {
      return failFrom(c, err, query);
    }
  }

  async function range(c: Context) {
    const begun = performance.now();
    let query = '';
    try {
      const get = await readParams(c);
      query = get('query') ?? '';
      const start = param('start', get('start') ?? '', parsePrometheusTime);
      const end = param('end', get('end') ?? '', parsePrometheusTime);
      if (end < start) throw new ParamError('end timestamp must not be before start time');
      const step = param('step', get('step') ?? '', parsePrometheusDuration);
      if (step <= 0) {
        throw new ParamError(
          'zero or negative query resolution step widths are not accepted. Try a positive integer',
        );
      }
      if (Math.floor((end - start) / step) > maxPointsPerSeries) {
        throw new ParamError(
          `exceeded maximum resolution of ${maxPointsPerSeries.toLocaleString('en-US')} points per timeseries. Try decreasing the query resolution (?step=XX)`,
        );
      }
      const opts = limits(c, get);
      return answer(c, await source.range(query, start, end, step, opts), opts, begun);
    } catch (err) {
      return failFrom(c, err, query);
    }
  }

  return new Hono()
    .get('/query', describeRoute(queryDocs.instant), instant)
    .post('/query', describeRoute(queryDocs.instantForm), instant)
    .get('/query_range', describeRoute(queryDocs.range), range)
    .post('/query_range', describeRoute(queryDocs.rangeForm), range);
}

/** The routes' type, for typed clients and tests. */
export type QueryRoutes = ReturnType<typeof createQueryRoutes>;
