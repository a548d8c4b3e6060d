/** What a rule's condition says this round, per group or series: active, inactive, or no data. */
import type { KpiReading } from '../../sdk/types.js';
import type { Labels } from '../model/model.js';
import type { QueryResult } from '../promql/result.js';

/** One group or series of a condition. */
export interface Observation {
  /** The group's `by:` labels, or the series' labels without `__name__`. */
  readonly labels: Labels;
  /** `null`: the condition cannot be read (no data, stale target, query error). */
  readonly active: boolean | null;
  readonly value: number | null;
}

/** A rule's condition this round. */
export interface RuleObservations {
  readonly seen: readonly Observation[];
  /**
   * What the rule's other alerts (not in `seen`) are: `inactive` when the condition was read and
   * did not name them, `no-data` when it could not be read at all.
   */
  readonly rest: 'inactive' | 'no-data';
}

const RANK = { ok: 0, warning: 1, critical: 2 } as const;

/**
 * A KPI status condition: each group (or the whole KPI) is active when its status is `when` or
 * worse. A stale reading, an `unknown` status or a missing reading is no data: the light does
 * not know, so neither does the alert.
 *
 * @example
 * ```ts
 * observeKpi(reading, 'critical'); // { seen: [{ labels: {}, active: true, value: 0.05 }], rest: 'inactive' }
 * ```
 */
export function observeKpi(
  reading: KpiReading | undefined,
  when: 'warning' | 'critical',
): RuleObservations {
  if (!reading || reading.stale) return { seen: [], rest: 'no-data' };
  const judge = (status: KpiReading['status']): boolean | null =>
    status === 'unknown' ? null : RANK[status] >= RANK[when];
  if (reading.groups !== undefined) {
    const seen = reading.groups.map((g) => ({
      labels: g.labels,
      active: judge(g.status),
      value: g.value,
    }));
    // A grouped KPI with no groups at all read nothing: its query returned no series.
    return {
      seen,
      rest: seen.length === 0 || reading.status === 'unknown' ? 'no-data' : 'inactive',
    };
  }
  const active = judge(reading.status);
  if (active === null) return { seen: [], rest: 'no-data' };
  return { seen: [{ labels: {}, active, value: reading.value }], rest: 'inactive' };
}

/**
 * A query condition, Prometheus style: each series the query returns is active, with its value;
 * an empty result means nothing is active. Only a failed query is no data.
 *
 * @example
 * ```ts
 * observeQuery({ resultType: 'vector', result: [{ metric: { job: 'efile' }, point: [t, 0] }] });
 * ```
 */
export function observeQuery(result: QueryResult | Error): RuleObservations {
  if (result instanceof Error) return { seen: [], rest: 'no-data' };
  if (result.resultType === 'scalar') {
    return { seen: [{ labels: {}, active: true, value: result.result[1] }], rest: 'inactive' };
  }
  if (result.resultType !== 'vector') return { seen: [], rest: 'no-data' };
  const seen = result.result.map((s) => {
    const { __name__: _, ...labels } = s.metric;
    return { labels, active: true, value: s.point[1] };
  });
  return { seen, rest: 'inactive' };
}
