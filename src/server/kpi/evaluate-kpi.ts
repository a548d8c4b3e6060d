/** One KPI at one time: run its query, turn the answer into a value, a light and groups. */

import type {
  Direction,
  KpiGroupReading,
  KpiStatus,
  KpiThresholds,
  UnknownReason,
} from '../../sdk/types.js';
import { errorMessage } from '../../shared/error-message.js';
import { groupKey } from '../../shared/group-key.js';
import { isWorse, statusOf } from '../../shared/status.js';
import type { InstantSample, QueryResult } from '../promql/result.js';
import { realTimers, type TimerHandle, type Timers } from '../schedule/index.js';
import { QueryError } from '../source/query-error.js';
import type { QuerySource } from '../source/query-source.js';
import {
  downTargetsOf,
  downTargetWarning,
  type ScrapeHealthView,
  targetLabels,
} from './down-targets.js';
import { type QuerySelector, querySelectors } from './query-selectors.js';

/** What of a KPI definition the evaluation reads. */
export interface KpiQuerySpec {
  readonly query: string;
  readonly thresholds: KpiThresholds;
  readonly direction: Direction;
  /** Labels that split the KPI into groups; empty for one light. */
  readonly by: readonly string[];
}

export interface EvaluateKpiOptions {
  /** Target health, to tell a stale target from no data; awaited after the query. Default: none known. */
  readonly targets?: readonly ScrapeHealthView[] | Promise<readonly ScrapeHealthView[]>;
  /** The query's selectors, when the caller keeps them parsed. Default: parsed here. */
  readonly selectors?: readonly QuerySelector[];
  /** Gives up on the query after this long; the KPI is then unknown. Default: no limit. */
  readonly timeoutMs?: number;
  /** Aborts the query from outside (e.g. on shutdown). */
  readonly signal?: AbortSignal;
  /** Timers of the time limit. Default the real ones. */
  readonly timers?: Timers;
}

/** The outcome of one KPI evaluation, before it is dressed as a `KpiReading`. */
export interface KpiOutcome {
  /** `null` when unknown; for a grouped KPI, the worst group's value. */
  readonly value: number | null;
  readonly status: KpiStatus;
  readonly reason?: UnknownReason;
  /** Present for KPIs with `by:` labels, sorted by group key. */
  readonly groups?: readonly KpiGroupReading[];
  readonly warnings: readonly string[];
  /** True when the query itself failed (error or timeout), as opposed to answering no data. */
  readonly failed: boolean;
}

function queryError(message: string): KpiOutcome {
  return {
    value: null,
    status: 'unknown',
    reason: `query error: ${message}`,
    warnings: [],
    failed: true,
  };
}

/** Runs the query with a time limit that holds even for a source that ignores its signal. */
async function runQuery(
  source: QuerySource,
  query: string,
  atMs: number,
  options: EvaluateKpiOptions,
): Promise<QueryResult> {
  const ctrl = new AbortController();
  const onAbort = () => ctrl.abort(options.signal?.reason);
  if (options.signal?.aborted) onAbort();
  else options.signal?.addEventListener('abort', onAbort, { once: true });
  const timers = options.timers ?? realTimers;
  let timer: TimerHandle | undefined;
  const limit = new Promise<never>((_, reject) => {
    const fail = () =>
      reject(
        ctrl.signal.reason instanceof QueryError
          ? ctrl.signal.reason
          : new QueryError('canceled', 'query canceled'),
      );
    if (ctrl.signal.aborted) fail();
    else ctrl.signal.addEventListener('abort', fail, { once: true });
    if (options.timeoutMs !== undefined) {
      const ms = options.timeoutMs;
      timer = timers.setTimeout(
        () => ctrl.abort(new QueryError('timeout', `timed out after ${ms} ms`)),
        ms,
      );
    }
  });
  try {
    // The limit goes to the source too: an engine that holds the event loop never sees the timer.
    const run = source.instant(query, atMs, { signal: ctrl.signal, timeoutMs: options.timeoutMs });
    return await Promise.race([run, limit]);
  } finally {
    timers.clearTimeout(timer);
    options.signal?.removeEventListener('abort', onAbort);
    // Settle the race's loser quietly.
    limit.catch(() => {});
  }
}

function numberOrNull(v: number): number | null {
  return Number.isNaN(v) ? null : v;
}

function single(kpi: KpiQuerySpec, samples: readonly InstantSample[]): KpiOutcome {
  if (samples.length > 1) {
    return queryError(
      `query returned ${samples.length} series; aggregate it (e.g. sum(…)) or set by:`,
    );
  }
  const value = samples.length === 1 ? numberOrNull(samples[0].point[1]) : null;
  return { value, ...statusOf(value, kpi.thresholds, kpi.direction), warnings: [], failed: false };
}

function grouped(
  kpi: KpiQuerySpec,
  samples: readonly InstantSample[],
  down: readonly ScrapeHealthView[],
): KpiOutcome {
  const warnings: string[] = [];
  const bySeries = new Map<string, InstantSample[]>();
  const missing = new Set<string>();
  for (const s of samples) {
    for (const name of kpi.by) if (s.metric[name] === undefined) missing.add(name);
    const key = groupKey(s.metric, kpi.by);
    const list = bySeries.get(key);
    if (list) list.push(s);
    else bySeries.set(key, [s]);
  }
  for (const name of missing) {
    warnings.push(
      `some series lack the by: label "${name}"; aggregate with sum by (${kpi.by.join(', ')}) (…)`,
    );
  }
  const groups = new Map<string, KpiGroupReading>();
  for (const [key, list] of bySeries) {
    const labels: Record<string, string> = {};
    for (const name of kpi.by) {
      const v = list[0].metric[name];
      if (v !== undefined) labels[name] = v;
    }
    if (list.length > 1) {
      const reason: UnknownReason = `query error: ${list.length} series for ${key || 'the group'}; aggregate them, e.g. sum by (${kpi.by.join(', ')}) (…)`;
      groups.set(key, { labels, value: null, status: 'unknown', reason });
      continue;
    }
    const value = numberOrNull(list[0].point[1]);
    groups.set(key, { labels, value, ...statusOf(value, kpi.thresholds, kpi.direction) });
  }
  // A down target that would have named a group of its own leaves that group out of the
  // result entirely; show it grey rather than let the agency silently vanish.
  for (const t of down) {
    const tl = targetLabels(t);
    if (!kpi.by.every((name) => tl[name] !== undefined)) continue;
    const key = groupKey(tl, kpi.by);
    if (groups.has(key)) continue;
    const labels = Object.fromEntries(kpi.by.map((name) => [name, tl[name]]));
    groups.set(key, { labels, value: null, status: 'unknown', reason: 'stale target' });
  }
  const list = [...groups.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  const sorted = list.map(([, g]) => g);
  let worst: KpiGroupReading | undefined;
  for (const g of sorted) if (!worst || isWorse(g, worst, kpi.direction)) worst = g;
  if (!worst) {
    return {
      value: null,
      status: 'unknown',
      reason: down.length > 0 ? 'stale target' : 'no data',
      groups: [],
      warnings,
      failed: false,
    };
  }
  return {
    value: worst.value,
    status: worst.status,
    ...(worst.reason !== undefined ? { reason: worst.reason } : {}),
    groups: sorted,
    warnings,
    failed: false,
  };
}

/**
 * Evaluates one KPI at `atMs`. The query must give a scalar or an instant vector:
 *
 * - one series (or a scalar) → its value and light; none → `unknown`, reason `no data`, or
 *   `stale target` when a target the query reads from is down. When there is data but such a
 *   target is down, the outcome carries a warning naming it.
 * - several series without `by:` → `unknown` with a query error asking to aggregate, because
 *   picking one would be arbitrary.
 * - with `by:`, one group per distinct `by:` label set; the KPI takes the worst group (critical
 *   > warning > unknown > ok, then the value furthest past the thresholds).
 * - a failing or timed-out query → `unknown`, reason `query error: <message>`; this never throws.
 *
 * @example
 * ```ts
 * const out = await evaluateKpi(kpi, source, Date.now(), { timeoutMs: 10_000, targets });
 * if (out.status === 'unknown') console.log(out.reason);
 * ```
 */
export async function evaluateKpi(
  kpi: KpiQuerySpec,
  source: QuerySource,
  atMs: number,
  options: EvaluateKpiOptions = {},
): Promise<KpiOutcome> {
  let result: QueryResult;
  try {
    result = await runQuery(source, kpi.query, atMs, options);
  } catch (err) {
    return queryError(errorMessage(err));
  }
  // Health may still be on its way: it is asked for while the query runs, not before.
  const targets = (await options.targets) ?? [];
  const down =
    targets.length === 0
      ? []
      : downTargetsOf(options.selectors ?? querySelectors(kpi.query), targets);
  let out: KpiOutcome;
  switch (result.resultType) {
    case 'scalar': {
      const value = numberOrNull(result.result[1]);
      const status = statusOf(value, kpi.thresholds, kpi.direction);
      // A scalar has no labels to split by: it is one light, whatever by: says.
      return { value, ...status, warnings: [], failed: false };
    }
    case 'vector':
      out = kpi.by.length > 0 ? grouped(kpi, result.result, down) : single(kpi, result.result);
      break;
    case 'matrix':
      return queryError('query returned a range vector; a KPI needs an instant vector or scalar');
    case 'string':
      return queryError('query returned a string; a KPI needs a number');
  }
  if (out.failed || down.length === 0) return out;
  const warnings = [...out.warnings, ...down.map(downTargetWarning)];
  if (out.status === 'unknown' && out.reason === 'no data') {
    return { ...out, reason: 'stale target', warnings };
  }
  return { ...out, warnings };
}
