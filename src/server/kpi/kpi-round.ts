/** One evaluation round's queries: every KPI at once, a failing one turned grey without touching the others. */
import { errorMessage } from '../../shared/error-message.js';
import type { KpiDefinition } from '../policy/types.js';
import type { Timers } from '../schedule/index.js';
import type { QuerySource } from '../source/query-source.js';
import type { ScrapeHealthView } from './down-targets.js';
import { evaluateKpi, type KpiOutcome } from './evaluate-kpi.js';
import type { ParsedQueries } from './parsed-queries.js';

/** What every KPI of a round shares. */
export interface RoundContext {
  readonly source: QuerySource;
  /** Target health at the start of the round, or on its way (asked for while the queries run). */
  readonly targets: readonly ScrapeHealthView[] | Promise<readonly ScrapeHealthView[]>;
  readonly queries: ParsedQueries;
  /** Each query's time limit, ms: a round cannot usefully outlast the next one. */
  readonly timeoutMs: number;
  readonly timers?: Timers;
}

/**
 * Evaluates every KPI at `nowMs` concurrently. A KPI whose query fails, times out or does not
 * even parse becomes `unknown` with `query error: …` and `failed` set; the others are unaffected.
 * Never rejects; outcomes come in the order of `kpis`.
 *
 * @example
 * ```ts
 * const outcomes = await evaluateRound(policy.kpis, Date.now(), { source, targets, queries, timeoutMs: 15_000 });
 * const failures = outcomes.filter((o) => o.failed).length;
 * ```
 */
export function evaluateRound(
  kpis: readonly KpiDefinition[],
  nowMs: number,
  context: RoundContext,
): Promise<KpiOutcome[]> {
  const { source, targets, queries, timeoutMs, timers } = context;
  return Promise.all(
    kpis.map(async (kpi): Promise<KpiOutcome> => {
      try {
        return await evaluateKpi(kpi, source, nowMs, {
          targets,
          selectors: queries.selectors(kpi.query),
          timeoutMs,
          timers,
        });
      } catch (err) {
        return {
          value: null,
          status: 'unknown',
          reason: `query error: ${errorMessage(err)}`,
          warnings: [],
          failed: true,
        };
      }
    }),
  );
}
