/** Turns one KPI's outcome into the `KpiReading` the API serves: its definition, light, budget and advice. */
import type { KpiBudget } from '../../sdk/types.js';
import { errorMessage } from '../../shared/error-message.js';
import type { KpiDefinition } from '../policy/types.js';
import type { ErrorBudgets } from './error-budget.js';
import type { KpiOutcome } from './evaluate-kpi.js';
import type { UnjudgedReading } from './reading-staleness.js';

/** What a reading needs besides its KPI and outcome. */
export interface ReadingContext {
  readonly policyVersion: number;
  /** Evaluation time, ms since the epoch. */
  readonly nowMs: number;
  /** Read after the round is recorded, so the budget includes this round. */
  readonly budgets: ErrorBudgets;
  /** The selector lint's warnings on the KPI's query (`lintSelectors`), when there are any. */
  readonly lintWarnings?: readonly string[];
}

/**
 * The reading of one KPI. An error budget that cannot be read becomes a warning: it is advice
 * and must never cost the reading itself.
 *
 * @example
 * ```ts
 * const reading = kpiReading(kpi, outcome, { policyVersion: 3, nowMs, budgets, lintWarnings });
 * ```
 */
export function kpiReading(
  kpi: KpiDefinition,
  out: KpiOutcome,
  context: ReadingContext,
): UnjudgedReading {
  const { policyVersion, nowMs, budgets } = context;
  let budget: KpiBudget | undefined;
  const warnings = [...out.warnings];
  try {
    budget = budgets.budget(kpi, nowMs);
  } catch (err) {
    warnings.push(`error budget unavailable: ${errorMessage(err)}`);
  }
  if (context.lintWarnings) warnings.push(...context.lintWarnings);
  // Optional fields are left out rather than set to undefined, so the JSON and the
  // change check see the same thing.
  return {
    id: kpi.id,
    title: kpi.title,
    ...(kpi.description !== undefined ? { description: kpi.description } : {}),
    unit: kpi.unit,
    direction: kpi.direction,
    thresholds: kpi.thresholds,
    ...(kpi.objective !== undefined ? { objective: kpi.objective } : {}),
    value: out.value,
    status: out.status,
    ...(out.reason !== undefined ? { reason: out.reason } : {}),
    evaluatedAt: new Date(nowMs).toISOString(),
    policyVersion,
    ...(kpi.runbook !== undefined ? { runbook: kpi.runbook } : {}),
    ...(out.groups !== undefined ? { groups: out.groups } : {}),
    ...(budget !== undefined ? { budget } : {}),
    ...(warnings.length > 0 ? { warnings } : {}),
  };
}
