/** QuerySource over a Prometheus-compatible HTTP API (Prometheus, Thanos, Mimir, VictoriaMetrics). */
import { errorMessage } from '../error-message.js';
import type { Labels } from '../model.js';
import type { InstantSample, Point, QueryResult, RangeSeries } from '../promql/result.js';
import { withDefaults } from '../with-defaults.js';
import { QueryError, type QueryErrorKind } from './query-error.js';
import { type QueryOptions, type QuerySource, type QueryTime, toEpochMs } from './query-source.js';

export interface PrometheusSourceOptions {
  /** Base URL of the server, e.g. `http://127.0.0.1:9090` (a path prefix is kept). */
  readonly url: string;
  /** The fetch to use. Default: the global `fetch`. */
  readonly fetch?: typeof fetch;
  /** Per-query time limit in ms, sent as `timeout` and enforced locally. Default: 30 000. */
  readonly timeoutMs?: number;
  /** Extra request headers, e.g. `Authorization` or `X-Scope-OrgID`. Default: none. */
  readonly headers?: Readonly<Record<string, string>>;
}

type ApiSample = [number, string];
interface ApiSeries {
  metric: Labels;
  value?: ApiSample;
  values?: ApiSample[];
  histogram?: unknown;
  histograms?: unknown;
}
interface ApiBody {
  status?: string;
  errorType?: string;
  error?: string;
  data?: { resultType?: string; result?: unknown };
}

const KIND_OF: Record<string, QueryErrorKind> = {
  bad_data: 'bad_data',
  execution: 'execution',
  timeout: 'timeout',
  canceled: 'canceled',
};

/** Parses a Prometheus sample value string (`"1.5"`, `"NaN"`, `"+Inf"`, `"-Inf"`). */
export function parsePrometheusValue(text: string): number {
  if (text === '+Inf' || text === 'Inf') return Number.POSITIVE_INFINITY;
  if (text === '-Inf') return Number.NEGATIVE_INFINITY;
  if (text === 'NaN') return Number.NaN;
  const v = Number(text);
  if (Number.isNaN(v)) throw new QueryError('unavailable', `not a sample value: "${text}"`);
  return v;
}

function point([t, v]: ApiSample): Point {
  return [Math.round(t * 1000), parsePrometheusValue(v)];
}

function rejectHistograms(s: ApiSeries): void {
  if (s.histogram !== undefined || s.histograms !== undefined) {
    throw new QueryError('unsupported', 'native histogram results are not supported');
  }
}

/** Maps the `data` of a successful API answer to a `QueryResult`. */
export function toQueryResult(data: ApiBody['data']): QueryResult {
  const result = data?.result;
  switch (data?.resultType) {
    case 'vector':
      return {
        resultType: 'vector',
        result: (result as ApiSeries[]).map((s): InstantSample => {
          rejectHistograms(s);
          return { metric: s.metric, point: point(s.value as ApiSample) };
        }),
      };
    case 'matrix':
      return {
        resultType: 'matrix',
        result: (result as ApiSeries[]).map((s): RangeSeries => {
          rejectHistograms(s);
          return { metric: s.metric, points: (s.values ?? []).map(point) };
        }),
      };
    case 'scalar':
      return { resultType: 'scalar', result: point(result as ApiSample) };
    case 'string': {
      const [t, v] = result as ApiSample;
      return { resultType: 'string', result: [Math.round(t * 1000), v] };
    }
    default:
      throw new QueryError('unavailable', `unknown resultType ${String(data?.resultType)}`);
  }
}

function seconds(ms: number): string {
  return String(ms / 1000);
}

function linkSignals(timeoutMs: number, signal: AbortSignal | undefined): AbortSignal {
  const timeout = AbortSignal.timeout(timeoutMs);
  return signal ? AbortSignal.any([timeout, signal]) : timeout;
}

function fetchFailure(
  err: unknown,
  caller: AbortSignal | undefined,
  timeoutMs: number,
): QueryError {
  if (caller?.aborted) {
    // A caller's own timeout signal still means "timed out", not "canceled".
    const timedOut = (caller.reason as Error | undefined)?.name === 'TimeoutError';
    return new QueryError(
      timedOut ? 'timeout' : 'canceled',
      timedOut ? 'query timed out' : 'query canceled',
      {
        cause: err,
      },
    );
  }
  if (err instanceof Error && (err.name === 'TimeoutError' || err.name === 'AbortError')) {
    return new QueryError('timeout', `query timed out after ${timeoutMs} ms`, { cause: err });
  }
  const message = errorMessage(err);
  return new QueryError('unavailable', `query server unreachable: ${message}`, { cause: err });
}

/**
 * A source that asks a Prometheus-compatible server, by POSTing form data to `/api/v1/query`
 * and `/api/v1/query_range`.
 * @example
 * const source = createPrometheusSource({ url: 'http://127.0.0.1:9090', timeoutMs: 10_000 });
 * const r = await source.range('up', Date.now() - 3_600_000, Date.now(), 60_000);
 */
export function createPrometheusSource(options: PrometheusSourceOptions): QuerySource {
  const { url, timeoutMs, headers } = withDefaults({ timeoutMs: 30_000, headers: {} }, options);
  const doFetch = options.fetch ?? fetch;
  const base = url.replace(/\/+$/, '');

  async function call(
    path: string,
    params: Record<string, string>,
    opts?: QueryOptions,
  ): Promise<QueryResult> {
    const body = new URLSearchParams({ ...params, timeout: `${timeoutMs / 1000}s` });
    let response: Response;
    let parsed: ApiBody | undefined;
    try {
      response = await doFetch(`${base}${path}`, {
        method: 'POST',
        headers: {
          'content-type': 'application/x-www-form-urlencoded',
          accept: 'application/json',
          ...headers,
        },
        body,
        signal: linkSignals(timeoutMs, opts?.signal),
      });
      const text = await response.text();
      try {
        parsed = JSON.parse(text) as ApiBody;
      } catch {
        parsed = undefined;
      }
      if (!parsed) {
        throw new QueryError(
          'unavailable',
          `HTTP ${response.status} from ${path}: ${text.slice(0, 200)}`,
        );
      }
    } catch (err) {
      if (err instanceof QueryError) throw err;
      throw fetchFailure(err, opts?.signal, timeoutMs);
    }
    if (parsed.status === 'success') return toQueryResult(parsed.data);
    const kind =
      KIND_OF[parsed.errorType ?? ''] ?? (response.status >= 500 ? 'unavailable' : 'execution');
    throw new QueryError(kind, parsed.error ?? `HTTP ${response.status} from ${path}`);
  }

  return {
    instant(expr: string, time: QueryTime, opts?: QueryOptions) {
      return call('/api/v1/query', { query: expr, time: seconds(toEpochMs(time)) }, opts);
    },
    range(expr: string, start: QueryTime, end: QueryTime, stepMs: number, opts?: QueryOptions) {
      const params = {
        query: expr,
        start: seconds(toEpochMs(start)),
        end: seconds(toEpochMs(end)),
        step: seconds(stepMs),
      };
      return call('/api/v1/query_range', params, opts);
    },
  };
}
