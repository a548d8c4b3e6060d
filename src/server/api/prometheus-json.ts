/** Renders query results and errors as Prometheus's HTTP API JSON. */
import type { Labels } from '../model/model.js';
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
