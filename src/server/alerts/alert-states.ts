/** The state machine of a rule's alerts, Prometheus's: inactive → pending → firing → resolved. */

import { groupKey } from '../../shared/group-key.js';
import type { Labels } from '../model/model.js';
import { expandTemplate } from '../policy/alert-template.js';
import type { AlertRule, KpiDefinition } from '../policy/types.js';
import { type AlertInstance, alertId } from './alert-instance.js';
import { formatAlertValue } from './alert-value.js';
import type { RuleObservations } from './rule-observations.js';

/** What a rule's round knows besides its observations. */
export interface RuleRound {
  readonly rule: AlertRule;
  /** The KPI of a KPI or burn-rate rule. */
  readonly kpi: KpiDefinition | undefined;
  /** Budget left of the rule's KPI, when it has an objective. */
  readonly budgetRemaining: number | undefined;
  readonly nowMs: number;
  readonly policyVersion: number;
}

/** `true` active, `false` inactive, `hold` leave the alert exactly as it is. */
type Verdict = boolean | 'hold';

function noDataVerdict(rule: AlertRule): Verdict {
  return rule.noData === 'hold' ? 'hold' : rule.noData === 'alert';
}

/**
 * One round of one rule: each observed group or series moves its alert on, and the rule's
 * other alerts move on as inactive, or by the no-data policy when nothing could be read.
 * Returns the rule's alerts after the round; pending alerts that stopped are gone, resolved
 * ones stay (the caller forgets them once their resolved notice is out).
 *
 * - Active: a new alert is `pending` (or `firing` at once when `for` is 0); a pending one fires
 *   once it has been active for `for`; a resolved one starts again as a new alert.
 * - Inactive: a pending alert is dropped; a firing one keeps firing until `keep_firing_for`
 *   has passed since the first round it stopped holding, then resolves.
 * - No data: `hold` leaves it as it is (a pending alert neither fires nor drops; its `for`
 *   keeps counting from when it became active), `ok` counts as inactive, `alert` as active
 *   with value `null` (a rule that has no alert yet gets one, labelled like the whole KPI).
 *
 * @example
 * ```ts
 * const next = stepRule({ rule, kpi, budgetRemaining: undefined, nowMs, policyVersion: 1 },
 *   observeKpi(reading, 'critical'), store.alertsOf(rule.name));
 * ```
 */
export function stepRule(
  round: RuleRound,
  obs: RuleObservations,
  previous: readonly AlertInstance[],
): AlertInstance[] {
  const { rule } = round;
  const before = new Map(previous.map((a) => [a.id, a]));
  const next: AlertInstance[] = [];
  const done = new Set<string>();
  const move = (
    prev: AlertInstance | undefined,
    identity: Labels,
    verdict: Verdict,
    value: number | null,
  ) => {
    const after = advance(round, prev, identity, verdict, value);
    if (after) next.push(after);
  };
  for (const o of obs.seen) {
    const labels = labelsOf(round, o.labels, o.value);
    const id = alertId(labels);
    if (done.has(id)) continue;
    done.add(id);
    move(before.get(id), o.labels, o.active === null ? noDataVerdict(rule) : o.active, o.value);
  }
  const rest: Verdict = obs.rest === 'inactive' ? false : noDataVerdict(rule);
  for (const prev of previous) {
    if (done.has(prev.id)) continue;
    move(prev, prev.labels, rest, rest === true ? null : prev.value);
  }
  if (rest === true && previous.length === 0 && obs.seen.length === 0)
    move(undefined, {}, true, null);
  return next;
}

function advance(
  round: RuleRound,
  prev: AlertInstance | undefined,
  identity: Labels,
  verdict: Verdict,
  value: number | null,
): AlertInstance | undefined {
  const { rule, nowMs } = round;
  if (verdict === 'hold') return prev;
  if (verdict === false) {
    if (!prev || prev.state === 'pending') return undefined;
    if (prev.state === 'resolved') return prev;
    const since = prev.keepFiringSince ?? nowMs;
    if (nowMs - since < rule.keepFiringForMs) return { ...prev, keepFiringSince: since };
    return { ...prev, state: 'resolved', resolvedAt: nowMs, keepFiringSince: undefined };
  }
  const fresh = !prev || prev.state === 'resolved';
  const activeAt = fresh ? nowMs : prev.activeAt;
  const firing = (!fresh && prev.state === 'firing') || nowMs - activeAt >= rule.forMs;
  const labels = fresh || !prev ? labelsOf(round, identity, value) : prev.labels;
  return {
    id: alertId(labels),
    rule: rule.name,
    labels,
    state: firing ? 'firing' : 'pending',
    activeAt,
    firedAt: firing ? (!fresh && prev.firedAt !== undefined ? prev.firedAt : nowMs) : undefined,
    resolvedAt: undefined,
    keepFiringSince: undefined,
    value,
    texts: textsOf(round, labels, value),
    kpi: round.kpi?.id,
    group: round.kpi ? groupKey(labels, round.kpi.by) : '',
    threshold:
      rule.condition.kind === 'kpi' ? round.kpi?.thresholds[rule.condition.when] : undefined,
    budgetRemaining: round.budgetRemaining,
    policyVersion: round.policyVersion,
  };
}

function templateData(round: RuleRound, labels: Labels, value: number | null) {
  const { kpi, rule } = round;
  const unit = rule.condition.kind === 'burn-rate' ? 'burn' : kpi?.unit;
  const threshold =
    rule.condition.kind === 'kpi' ? kpi?.thresholds[rule.condition.when] : undefined;
  return {
    value: formatAlertValue(value, unit),
    labels,
    kpi: kpi?.title ?? '',
    threshold: threshold === undefined ? '' : formatAlertValue(threshold, kpi?.unit),
    budgetRemaining:
      round.budgetRemaining === undefined ? '' : formatAlertValue(round.budgetRemaining, 'percent'),
  };
}

/** Identity labels, then the rule's own (templated), then the names the rule sets itself. */
function labelsOf(round: RuleRound, identity: Labels, value: number | null): Labels {
  const { rule, kpi } = round;
  const data = templateData(round, identity, value);
  const own = Object.fromEntries(
    Object.entries(rule.labels).map(([k, v]) => [k, expandTemplate(v, data)]),
  );
  return {
    ...identity,
    ...own,
    alertname: rule.name,
    severity: rule.severity,
    ...(kpi ? { kpi: kpi.id } : {}),
  };
}

function textsOf(round: RuleRound, labels: Labels, value: number | null) {
  const data = templateData(round, labels, value);
  const fill = (t: string | undefined) => (t === undefined ? undefined : expandTemplate(t, data));
  const runbook = round.rule.runbook ?? round.kpi?.runbook;
  return {
    value: data.value,
    ...(data.threshold ? { threshold: data.threshold } : {}),
    summary: fill(round.rule.summary ?? defaultSummary(round.rule)),
    ...(round.rule.description ? { description: fill(round.rule.description) } : {}),
    ...(runbook ? { runbook: fill(runbook) } : {}),
  };
}

/** A summary for rules that write none: what is wrong, in the KPI's words. */
function defaultSummary(rule: AlertRule): string {
  const c = rule.condition;
  if (c.kind === 'kpi')
    return `{{ $kpi }} is {{ $value }}, past its ${c.when} threshold {{ $threshold }}`;
  if (c.kind === 'burn-rate') {
    return '{{ $kpi }} burns its error budget {{ $value }} as fast as allowed; {{ $budget_remaining }} left';
  }
  return `${rule.name}: {{ $value }}`;
}
