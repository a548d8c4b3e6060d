/** The seam between everything that reads PromQL results and whoever evaluates them. */
import type { TargetHealth } from '../../sdk/types.js';
import type { LabelMatcher, Labels } from '../model/model.js';
import type { QueryStats } from '../promql/query-stats.js';
import type { QueryResult } from '../promql/result.js';

/** A point in time: epoch ms or a Date. */
export type QueryTime = Date | number;

export interface QueryOptions {
  /**
   * Aborts the query; the source then throws a `QueryError` of kind `canceled` (or `timeout`
   * when the signal's reason is a `TimeoutError`).
   */
  readonly signal?: AbortSignal;
  /**
   * Ends the query after this long with a `QueryError` of kind `timeout`. Unlike a timer on the
   * signal, this also holds while a synchronous engine keeps the event loop busy.
   */
  readonly timeoutMs?: number;
  /**
   * Filled with what the query cost (`stats=all`) by a source that can tell: the embedded
   * engine, here or in its worker. Others leave it as it was.
   */
  readonly stats?: QueryStats;
}

/**
 * Evaluates PromQL, embedded or on a Prometheus-compatible server, and says which series and
 * targets are behind the answers. Results use ms timestamps; failures are `QueryError`s.
 *
 * `series` and `targets` are optional so a test's table of answers is a source too; both real
 * sources have them. Without `series` there is no selector lint, without `targets` no target
 * health beside a KPI.
 * @example
 * const r = await source.instant('sum(rate(http_requests_total[1m]))', Date.now());
 * if (r.resultType === 'vector') console.log(r.result[0]?.point[1]);
 * const buckets = await source.series?.([{ name: '__name__', type: '=', value: 'x_bucket' }]);
 */
export interface QuerySource {
  instant(expr: string, time: QueryTime, opts?: QueryOptions): Promise<QueryResult>;
  range(
    expr: string,
    start: QueryTime,
    end: QueryTime,
    stepMs: number,
    opts?: QueryOptions,
  ): Promise<QueryResult>;
  /** Label sets of the series now held that match every matcher (Prometheus's `/api/v1/series`). */
  series?(matchers: readonly LabelMatcher[], opts?: QueryOptions): Promise<Labels[]>;
  /** Health of every target the data comes from (Prometheus's `/api/v1/targets`). */
  targets?(opts?: QueryOptions): Promise<TargetHealth[]>;
}

/** Epoch ms of a `QueryTime`. */
export function toEpochMs(time: QueryTime): number {
  return typeof time === 'number' ? time : time.getTime();
}
