/** KPI history read back from the query source with `query_range`, so a replica needs no history of its own. */
import type { KpiStatus } from '../../sdk/types.js';
import { groupKey } from '../../shared/group-key.js';
import { isWorse, statusOf } from '../../shared/status.js';
import type { KpiDefinition } from '../policy/types.js';
import type { QuerySource } from '../source/query-source.js';
import { bucketGrid } from './bucket-grid.js';
import type { HistoryColumns, HistoryRange } from './kpi-history-store.js';

type KpiSpec = Pick<KpiDefinition, 'query' | 'thresholds' | 'direction' | 'by'>;

/** One point's value and light. */
interface Point {
  readonly value: number | null;
  readonly status: KpiStatus;
}

/** The whole KPI at one step: its one series, or its worst group, as a live reading picks. */
function pick(kpi: KpiSpec, candidates: readonly Point[]): Point {
  if (kpi.by.length === 0 && candidates.length > 1) return { value: null, status: 'unknown' };
  let worst: Point | undefined;
  for (const p of candidates) if (!worst || isWorse(p, worst, kpi.direction)) worst = p;
  return worst ?? { value: null, status: 'unknown' };
}

/**
 * The KPI's history from the source: its query run with `query_range` over the bucket starts,
 * each point judged by today's thresholds. A point is the KPI's value at that instant (what a
 * round at that time would have read), not the mean of a bucket as in the database's history,
 * so a long step samples rather than averages. `group` picks one `by:` group; without it, each
 * step shows the worst group, as a live reading does. Throws the source's `QueryError`.
 *
 * @example
 * ```ts
 * const { t, v, status } = await sourceHistory(source, kpi, { from, to, stepMs: 60_000 }, 3);
 * ```
 */
export async function sourceHistory(
  source: QuerySource,
  kpi: KpiSpec,
  range: HistoryRange,
  policyVersion: number,
): Promise<HistoryColumns> {
  const { stepMs } = range;
  const { first, count, t } = bucketGrid(range);
  const result = await source.range(kpi.query, t[0], t[count - 1], stepMs);
  const perStep: Point[][] = t.map(() => []);
  const add = (time: number, value: number) => {
    const i = Math.round(time / stepMs) - first;
    if (i < 0 || i >= count) return;
    const v = Number.isNaN(value) ? null : value;
    perStep[i].push({ value: v, ...statusOf(v, kpi.thresholds, kpi.direction) });
  };
  if (result.resultType === 'matrix') {
    for (const series of result.result) {
      if (range.group && groupKey(series.metric, kpi.by) !== range.group) continue;
      for (const [time, value] of series.points) add(time, value);
    }
  } else if (result.resultType === 'scalar') {
    add(result.result[0], result.result[1]);
  }
  const points = perStep.map((candidates) => pick(kpi, candidates));
  return {
    t,
    v: points.map((p) => p.value),
    status: points.map((p) => p.status),
    // Every point is judged now, by the policy in force now.
    version: points.map((p) => (p.value === null ? null : policyVersion)),
  };
}
