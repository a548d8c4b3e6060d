/** A policy's KPIs and alert rules as one Prometheus rule group: recording rules, then alerting rules. */

import { formatDuration } from '../../../shared/duration.js';
import type { AlertRule, KpiDefinition, Policy } from '../../policy/types.js';
import { burnRateQuery } from '../burn-rate.js';
import { kpiRecordName } from './prometheus-names.js';
import { toPrometheusTemplate } from './prometheus-template.js';

/** `record:` rule: one per KPI. */
export interface RecordingRule {
  readonly record: string;
  readonly expr: string;
}

/** `alert:` rule, as Prometheus reads it. */
export interface AlertingRule {
  readonly alert: string;
  readonly expr: string;
  readonly for?: string;
  readonly keep_firing_for?: string;
  readonly labels: Readonly<Record<string, string>>;
  readonly annotations?: Readonly<Record<string, string>>;
}

/** A Prometheus rule file. */
export interface PrometheusRuleFile {
  readonly groups: readonly {
    readonly name: string;
    readonly interval: string;
    readonly rules: readonly (RecordingRule | AlertingRule)[];
  }[];
}

/** The rule file and what it cannot say the way kpi-lights does, for its header. */
export interface ExportedRules {
  readonly file: PrometheusRuleFile;
  readonly notes: readonly string[];
}

/** The condition as PromQL, and the threshold it compares with (KPI-status rules only). */
function condition(
  rule: AlertRule,
  kpi: KpiDefinition | undefined,
  intervalMs: number,
): { expr: string; threshold?: number } {
  const c = rule.condition;
  if (c.kind === 'query') return { expr: c.query };
  if (!kpi) throw new Error(`alert ${rule.name}: no KPI ${c.kpi}`);
  if (c.kind === 'burn-rate') return { expr: burnRateQuery(kpi, c.speed, intervalMs) };
  // Thresholds are inclusive in both directions, as the lights judge them (`kpi/status.ts`).
  const threshold = kpi.thresholds[c.when];
  const op = kpi.direction === 'lower-is-worse' ? '<=' : '>=';
  return { expr: `${kpiRecordName(kpi.id)} ${op} ${threshold}`, threshold };
}

function alertingRule(rule: AlertRule, policy: Policy): AlertingRule {
  const c = rule.condition;
  const kpi = c.kind === 'query' ? undefined : policy.kpis.find((k) => k.id === c.kpi);
  const { expr, threshold } = condition(rule, kpi, policy.evaluation.intervalMs);
  const context = { kpi, threshold, unit: c.kind === 'burn-rate' ? ('burn' as const) : kpi?.unit };
  const labels: Record<string, string> = { severity: rule.severity };
  if (kpi) labels.kpi = kpi.id;
  for (const [name, value] of Object.entries(rule.labels)) {
    labels[name] = toPrometheusTemplate(value, context);
  }
  const annotations: Record<string, string> = {};
  if (rule.summary) annotations.summary = toPrometheusTemplate(rule.summary, context);
  if (rule.description) annotations.description = toPrometheusTemplate(rule.description, context);
  const runbook = rule.runbook ?? kpi?.runbook;
  if (runbook) annotations.runbook_url = runbook;
  return {
    alert: rule.name,
    expr,
    ...(rule.forMs > 0 && { for: formatDuration(rule.forMs) }),
    ...(rule.keepFiringForMs > 0 && { keep_firing_for: formatDuration(rule.keepFiringForMs) }),
    labels,
    ...(Object.keys(annotations).length > 0 && { annotations }),
  };
}

/** Where Prometheus will act otherwise than kpi-lights on the same data. */
function notesOn(rule: AlertRule): string[] {
  if (rule.noData === 'ok') return [];
  const what = rule.noData === 'hold' ? 'keeps its state' : 'fires';
  return [
    `${rule.name}: with no data kpi-lights ${what} (no_data: ${rule.noData}); Prometheus resolves it.`,
  ];
}

/**
 * The policy as Prometheus rules, evaluated at the policy's evaluation interval: a recording
 * rule `kpi_lights:<id>` per KPI (its query), then each alert rule. A KPI-status rule compares
 * the recorded KPI with its threshold (`>=`, or `<=` for `lower-is-worse`); a query rule is
 * its query; a burn-rate rule is the same multiwindow expression kpi-lights evaluates. Rules
 * keep `for`, `keep_firing_for`, `severity` and `kpi` labels, the rule's labels and its
 * annotations (`summary`, `description`, `runbook_url`), templates rewritten for Prometheus.
 * All rules sit in one group, recording rules first, so an alert reads this round's KPI value.
 *
 * @example
 * ```ts
 * const { file, notes } = prometheusRules(loadPolicyFile('kpi-lights.yaml').policy);
 * ```
 */
export function prometheusRules(policy: Policy): ExportedRules {
  const records: RecordingRule[] = policy.kpis.map((k) => ({
    record: kpiRecordName(k.id),
    expr: k.query,
  }));
  const alerts = policy.alerts.map((r) => alertingRule(r, policy));
  return {
    file: {
      groups: [
        {
          name: 'kpi-lights',
          interval: formatDuration(policy.evaluation.intervalMs),
          rules: [...records, ...alerts],
        },
      ],
    },
    notes: policy.alerts.flatMap(notesOn),
  };
}
