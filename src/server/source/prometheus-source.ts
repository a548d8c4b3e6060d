/** QuerySource over a Prometheus-compatible HTTP API (Prometheus, Thanos, Mimir, VictoriaMetrics). */
import type { TargetHealth } from '../../sdk/types.js';
import { withDefaults } from '../../shared/with-defaults.js';
import { createSameOriginFetch } from '../http/same-origin-fetch.js';
import type { LabelMatcher, Labels } from '../model/model.js';
import type { InstantSample, Point, QueryResult, RangeSeries } from '../promql/result.js';
import { DEFAULT_MAX_RESULT_BYTES } from '../promql/result-bounds.js';
import { callPrometheusApi, type PrometheusApiOptions } from './prometheus-api.js';
import { toTargetHealthList } from './prometheus-targets.js';
import { QueryError } from './query-error.js';
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
  /** Most bytes of one answer's body (the query API's `--query.max-result-bytes`). Default: 32 MiB. */
  readonly maxBodyBytes?: number;
}

type ApiSample = [number, string];
interface ApiSeries {
  metric: Labels;
  value?: ApiSample;
  values?: ApiSample[];
  histogram?: unknown;
  histograms?: unknown;
}
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
export function toQueryResult(answer: unknown): QueryResult {
  const data = answer as { resultType?: string; result?: unknown } | undefined;
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

/** How far back `series` looks: Prometheus's lookback, what an instant query can still see. */
const SERIES_LOOKBACK_MS = 5 * 60_000;

/** Matchers as a selector the API parses: `{__name__="x",le="2"}`, values JSON-quoted as PromQL reads them. */
export function selectorText(matchers: readonly LabelMatcher[]): string {
  return `{${matchers.map((m) => `${m.name}${m.type}${JSON.stringify(m.value)}`).join(',')}}`;
}

function seconds(ms: number): string {
  return String(ms / 1000);
}

/**
 * A source that asks a Prometheus-compatible server: POSTed form data to `/api/v1/query`,
 * `/api/v1/query_range` and `/api/v1/series`, and `GET /api/v1/targets` for target health.
 * Whatever goes wrong on the way is a `QueryError` (`prometheus unreachable: …`, a timeout, an
 * answer past `maxBodyBytes`, a redirect to another origin, or the server's own error), never
 * an answer.
 * @example
 * const source = createPrometheusSource({ url: 'http://127.0.0.1:9090', timeoutMs: 10_000 });
 * const r = await source.range('up', Date.now() - 3_600_000, Date.now(), 60_000);
 */
export function createPrometheusSource(options: PrometheusSourceOptions): QuerySource {
  const { url, timeoutMs, headers, maxBodyBytes } = withDefaults(
    { timeoutMs: 30_000, headers: {}, maxBodyBytes: DEFAULT_MAX_RESULT_BYTES },
    options,
  );

  const api: PrometheusApiOptions = {
    base: url.replace(/\/+$/, ''),
    // The headers may be credentials: never follow a redirect that would carry them elsewhere.
    fetch: createSameOriginFetch({ fetch: options.fetch ?? fetch }),
    timeoutMs,
    headers,
    maxBodyBytes,
  };
  // The server gets the same limit, so it stops work nobody waits for any more.
  const limit = `${timeoutMs / 1000}s`;
  const query = async (path: string, params: Record<string, string>, opts?: QueryOptions) =>
    toQueryResult(
      await callPrometheusApi(
        api,
        'POST',
        path,
        new URLSearchParams({ ...params, timeout: limit }),
        opts,
      ),
    );

  return {
    instant(expr: string, time: QueryTime, opts?: QueryOptions) {
      return query('/api/v1/query', { query: expr, time: seconds(toEpochMs(time)) }, opts);
    },
    range(expr: string, start: QueryTime, end: QueryTime, stepMs: number, opts?: QueryOptions) {
      const params = {
        query: expr,
        start: seconds(toEpochMs(start)),
        end: seconds(toEpochMs(end)),
        step: seconds(stepMs),
      };
      return query('/api/v1/query_range', params, opts);
    },
    async series(matchers: readonly LabelMatcher[], opts?: QueryOptions) {
      const params = new URLSearchParams({ 'match[]': selectorText(matchers) });
      // Only series still held: the lint asks what a target exposes now, not a week ago.
      const now = Date.now();
      params.set('start', seconds(now - SERIES_LOOKBACK_MS));
      params.set('end', seconds(now));
      const data = await callPrometheusApi(api, 'POST', '/api/v1/series', params, opts);
      if (!Array.isArray(data)) throw new QueryError('unavailable', 'series: expected a list');
      return data as Labels[];
    },
    async targets(opts?: QueryOptions): Promise<TargetHealth[]> {
      const params = new URLSearchParams({ state: 'active' });
      return toTargetHealthList(
        await callPrometheusApi(api, 'GET', '/api/v1/targets', params, opts),
      );
    },
  };
}
