/** Reads every rule's condition for one round: KPI rules from the readings, the rest as PromQL through the QuerySource. */
import type { KpiReading } from '../../sdk/types.js';
import type { AlertRule, KpiDefinition, Policy } from '../policy/types.js';
import type { QuerySource } from '../source/query-source.js';
import { burnRateQuery } from './burn-rate.js';
import { observeKpi, observeQuery, type RuleObservations } from './rule-observations.js';

/** The PromQL a rule asks, or undefined for a KPI status rule. */
export function ruleQuery(rule: AlertRule, policy: Policy): string | undefined {
  const c = rule.condition;
  if (c.kind === 'query') return c.query;
  if (c.kind === 'kpi') return undefined;
  const kpi = policy.kpis.find((k) => k.id === c.kpi);
  return kpi && burnRateQuery(kpi, c.speed, policy.evaluation.intervalMs);
}

/** The KPI a rule watches. */
export function ruleKpi(rule: AlertRule, policy: Policy): KpiDefinition | undefined {
  const c = rule.condition;
  return c.kind === 'query' ? undefined : policy.kpis.find((k) => k.id === c.kpi);
}

/**
 * Every rule's observations at `nowMs`, in rule order. Queries run concurrently, each limited to
 * the evaluation interval; a failed or slow one is that rule's no data, never the others'.
 *
 * @example
 * ```ts
 * const obs = await observeRules(policy, readings, source, nowMs);
 * ```
 */
export async function observeRules(
  policy: Policy,
  readings: readonly KpiReading[],
  source: QuerySource,
  nowMs: number,
): Promise<RuleObservations[]> {
  const byId = new Map(readings.map((r) => [r.id, r]));
  return Promise.all(
    policy.alerts.map(async (rule) => {
      const c = rule.condition;
      if (c.kind === 'kpi') return observeKpi(byId.get(c.kpi), c.when);
      const query = ruleQuery(rule, policy);
      if (query === undefined) return observeQuery(new Error(`no KPI for rule ${rule.name}`));
      try {
        const signal = AbortSignal.timeout(policy.evaluation.intervalMs);
        return observeQuery(await source.instant(query, nowMs, { signal }));
      } catch (err) {
        return observeQuery(err instanceof Error ? err : new Error(String(err)));
      }
    }),
  );
}
