/** One round's writes to the alert store: each rule stepped, the rules gone from the policy resolved. */
import type { KpiReading } from '../../sdk/types.js';
import type { Policy } from '../policy/types.js';
import type { AlertInstance } from './alert-instance.js';
import { stepRule } from './alert-states.js';
import type { AlertStore } from './alert-store.js';
import { ruleKpi } from './rule-conditions.js';
import type { RuleObservations } from './rule-observations.js';

/** What one round steps the rules with. */
export interface RoundInput {
  readonly policy: Policy;
  readonly policyVersion: number;
  /** The KPI evaluator's readings of this round. */
  readonly readings: readonly KpiReading[];
  /** One per rule of `policy`, in its order. */
  readonly observations: readonly RuleObservations[];
  readonly nowMs: number;
}

/**
 * Writes every rule's alerts after the round and returns the alerts that changed. Run it in
 * the store's transaction.
 *
 * @example
 * ```ts
 * const changed = store.transaction(() => stepRules(store, { policy, policyVersion: 3, readings, observations, nowMs }));
 * ```
 */
export function stepRules(store: AlertStore, round: RoundInput): AlertInstance[] {
  const { policy, nowMs } = round;
  const byId = new Map(round.readings.map((r) => [r.id, r]));
  const out: AlertInstance[] = [];
  policy.alerts.forEach((rule, i) => {
    const kpi = ruleKpi(rule, policy);
    const next = stepRule(
      {
        rule,
        kpi,
        budgetRemaining: kpi && byId.get(kpi.id)?.budget?.remaining,
        nowMs,
        policyVersion: round.policyVersion,
      },
      round.observations[i],
      store.ofRule(rule.name),
    );
    out.push(...store.replaceRule(rule.name, next, nowMs));
  });
  out.push(...resolveRemovedRules(store, policy, nowMs));
  return out;
}

/** Rules gone from the policy: their firing alerts resolve (and are told), pending ones drop. */
function resolveRemovedRules(store: AlertStore, policy: Policy, nowMs: number): AlertInstance[] {
  const out: AlertInstance[] = [];
  const live = new Set(policy.alerts.map((r) => r.name));
  for (const rule of new Set(store.all().map((a) => a.rule))) {
    if (live.has(rule)) continue;
    const next = store
      .ofRule(rule)
      .filter((a) => a.state !== 'pending')
      .map(
        (a): AlertInstance =>
          a.state === 'firing' ? { ...a, state: 'resolved', resolvedAt: nowMs } : a,
      );
    out.push(...store.replaceRule(rule, next, nowMs));
  }
  return out;
}
