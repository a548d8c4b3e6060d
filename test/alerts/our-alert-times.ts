/** When the alert core fires and resolves each rule of a policy, round by round, over series held in a head. */
import type { KpiReading } from '../../src/sdk/types.js';
import type { AlertInstance } from '../../src/server/alerts/alert-instance.js';
import { stepRule } from '../../src/server/alerts/alert-states.js';
import { burnRateQuery } from '../../src/server/alerts/burn-rate.js';
import { observeKpi, observeQuery } from '../../src/server/alerts/rule-observations.js';
import { evaluateKpi } from '../../src/server/kpi/evaluate-kpi.js';
import type { AlertRule, KpiDefinition, Policy } from '../../src/server/policy/types.js';
import type { QuerySource } from '../../src/server/source/index.js';

/** Each rule's first firing and first resolution, ms; `undefined` when it never did. */
export interface RuleTimes {
  firedAt?: number;
  resolvedAt?: number;
  /** The labels of the first alert that fired. */
  labels?: Readonly<Record<string, string>>;
}

/** The KPI outcome as the reading the alert core observes (fresh, as in a live round). */
function readingOf(
  kpi: KpiDefinition,
  out: Awaited<ReturnType<typeof evaluateKpi>>,
  t: number,
): KpiReading {
  return {
    id: kpi.id,
    title: kpi.title,
    unit: kpi.unit,
    direction: kpi.direction,
    thresholds: kpi.thresholds,
    value: out.value,
    status: out.status,
    ...(out.groups && { groups: out.groups }),
    evaluatedAt: new Date(t).toISOString(),
    policyVersion: 1,
    stale: false,
    staleAfter: new Date(t + 60_000).toISOString(),
  };
}

async function observe(rule: AlertRule, policy: Policy, source: QuerySource, t: number) {
  const c = rule.condition;
  if (c.kind === 'query')
    return observeQuery(await source.instant(c.query, t).catch((e: Error) => e));
  const kpi = policy.kpis.find((k) => k.id === c.kpi)!;
  if (c.kind === 'kpi')
    return observeKpi(readingOf(kpi, await evaluateKpi(kpi, source, t), t), c.when);
  const expr = burnRateQuery(kpi, c.speed, policy.evaluation.intervalMs);
  return observeQuery(await source.instant(expr, t).catch((e: Error) => e));
}

/**
 * Steps every rule through the core's state machine at `fromMs + interval`, `fromMs + 2 ×
 * interval`, … `untilMs` (the times Prometheus's rule group evaluates at, shifted by `fromMs`
 * for data that is not at the epoch), and notes when each first fired and resolved.
 *
 * @example
 * ```ts
 * const times = await ourAlertTimes(policy, createEmbeddedSource(engine), 1_800_000);
 * ```
 */
export async function ourAlertTimes(
  policy: Policy,
  source: QuerySource,
  untilMs: number,
  fromMs = 0,
): Promise<Map<string, RuleTimes>> {
  const interval = policy.evaluation.intervalMs;
  const states = new Map<string, AlertInstance[]>();
  const times = new Map<string, RuleTimes>(policy.alerts.map((r) => [r.name, {}]));
  for (let t = fromMs + interval; t <= untilMs; t += interval) {
    for (const rule of policy.alerts) {
      const c = rule.condition;
      const kpi = c.kind === 'query' ? undefined : policy.kpis.find((k) => k.id === c.kpi);
      const round = { rule, kpi, budgetRemaining: undefined, nowMs: t, policyVersion: 1 };
      const next = stepRule(
        round,
        await observe(rule, policy, source, t),
        states.get(rule.name) ?? [],
      );
      // A resolved alert is forgotten once told; here, once noted.
      states.set(
        rule.name,
        next.filter((a) => a.state !== 'resolved'),
      );
      const noted = times.get(rule.name)!;
      const firing = next.find((a) => a.state === 'firing');
      if (noted.firedAt === undefined && firing) {
        noted.firedAt = t;
        noted.labels = firing.labels;
      }
      if (
        noted.firedAt !== undefined &&
        noted.resolvedAt === undefined &&
        next.some((a) => a.state === 'resolved')
      ) {
        noted.resolvedAt = t;
      }
    }
  }
  return times;
}
