/** Renders query results and errors as Prometheus's HTTP API JSON. */
import type { Labels } from '../model/model.js';
import type { QueryStats } from '../promql/query-stats.js';
import type { Point, QueryResult } from '../promql/result.js';

/**
 * Formats a sample value as Prometheus does: shortest round-trip, `NaN`, `+Inf`, `-Inf`, and
 * Go's exponent form (`1e-07`) below 1e-6 and from 1e21.
 * @example formatSampleValue(1e-7) // '1e-07'
 */
export function formatSampleValue(v: number): string {
  if (Number.isNaN(v)) return 'NaN';
  if (v === Number.POSITIVE_INFINITY) return '+Inf';
  if (v === Number.NEGATIVE_INFINITY) return '-Inf';
  if (Object.is(v, -0)) return '-0';
  const s = String(v);
  const e = s.indexOf('e');
  if (e < 0) return s;
  // JavaScript writes `1e-7`; Go writes at least two exponent digits with a sign.
  const sign = s[e + 1] === '-' ? '-' : '+';
  const digits = s.slice(e + 1).replace(/^[+-]/, '');
  return `${s.slice(0, e)}e${sign}${digits.padStart(2, '0')}`;
}

type ApiSample = [number, string];

function sample([t, v]: Point): ApiSample {
  return [t / 1000, formatSampleValue(v)];
}

/** The `data` part of a successful query answer. */
export type PrometheusQueryData =
  | { resultType: 'vector'; result: Array<{ metric: Labels; value: ApiSample }> }
  | { resultType: 'matrix'; result: Array<{ metric: Labels; values: ApiSample[] }> }
  | { resultType: 'scalar' | 'string'; result: ApiSample };

/** Maps a `QueryResult` (ms, numbers) to the API's shape (seconds, strings). */
export function toPrometheusData(r: QueryResult): PrometheusQueryData {
  switch (r.resultType) {
    case 'vector':
      return {
        resultType: 'vector',
        result: r.result.map((s) => ({ metric: s.metric, value: sample(s.point) })),
      };
    case 'matrix':
      return {
        resultType: 'matrix',
        result: r.result.map((s) => ({ metric: s.metric, values: s.points.map(sample) })),
      };
    case 'scalar':
      return { resultType: 'scalar', result: sample(r.result) };
    case 'string':
      return { resultType: 'string', result: [r.result[0] / 1000, r.result[1]] };
  }
}

/** Prometheus's error types, with the HTTP status it answers each with. */
export const PROMETHEUS_ERROR_STATUS = {
  bad_data: 400,
  execution: 422,
  timeout: 503,
  canceled: 499,
  unavailable: 503,
  internal: 500,
} as const;

export type PrometheusErrorType = keyof typeof PROMETHEUS_ERROR_STATUS;

/** The body of an error answer. */
export function prometheusErrorBody(errorType: PrometheusErrorType, error: string) {
  return { status: 'error' as const, errorType, error };
}

/** Prometheus's `stats` of a query answer (`stats=all`): phase times in seconds, sample counts. */
export interface PrometheusQueryStats {
  readonly timings: {
    readonly evalTotalTime: number;
    readonly resultSortTime: number;
    readonly queryPreparationTime: number;
    readonly innerEvalTime: number;
    readonly execQueueTime: number;
    readonly execTotalTime: number;
  };
  readonly samples: { readonly totalQueryableSamples: number; readonly peakSamples: number };
}

/**
 * The `stats` object from what a source recorded and the request's own wall time (ms).
 *
 * @example
 * ```ts
 * prometheusStats(stats, 1.2).timings.execTotalTime; // 0.0012
 * ```
 */
export function prometheusStats(stats: QueryStats, totalMs: number): PrometheusQueryStats {
  const s = (ms: number) => ms / 1000;
  const evalMs = stats.preparationMs + stats.evalMs + stats.sortMs;
  return {
    timings: {
      evalTotalTime: s(evalMs),
      resultSortTime: s(stats.sortMs),
      queryPreparationTime: s(stats.preparationMs),
      innerEvalTime: s(stats.evalMs),
      execQueueTime: s(stats.queueMs),
      execTotalTime: s(Math.max(totalMs, evalMs + stats.queueMs)),
    },
    samples: {
      totalQueryableSamples: stats.totalQueryableSamples,
      peakSamples: stats.peakSamples,
    },
  };
}
