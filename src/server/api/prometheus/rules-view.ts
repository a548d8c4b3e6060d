/** kpi-lights's KPIs and alert rules in the shape of Prometheus's `/api/v1/rules` and `/api/v1/alerts`. */
import type { AlertInfo, KpiReading } from '../../../sdk/types.js';
import {
  type AlertingRule,
  prometheusRules,
  type RecordingRule,
} from '../../alerts/config-export/prometheus-rules.js';
import type { Policy } from '../../policy/types.js';
import { parsePromql } from '../../promql/index.js';
import { printExpr } from '../../promql/print-expr.js';

/** What the view is built from, read at the time of the request. */
export interface RulesInput {
  readonly policy: Policy;
  /** The policy file as readers see it (relative), Prometheus's rule `file`. */
  readonly file: string;
  readonly readings: readonly KpiReading[];
  /** Pending and firing alerts now. */
  readonly alerts: readonly AlertInfo[];
  /** How long the last evaluation round took, ms. */
  readonly lastRoundMs: number;
}

/** Go's zero time: a rule never evaluated. */
const NEVER = '0001-01-01T00:00:00Z';

/** The one rule group kpi-lights's policy is, as `kpi-lights export prometheus-rules` writes it. */
export const RULE_GROUP = 'kpi-lights';

/**
 * Go's `strconv.FormatFloat(v, 'e', -1, 64)`, the form Prometheus gives an alert's value in.
 *
 * @example
 * ```ts
 * goExponent(0.051); // '5.1e-02'
 * ```
 */
export function goExponent(v: number | null | undefined): string {
  if (v === null || v === undefined || Number.isNaN(v)) return 'NaN';
  if (!Number.isFinite(v)) return v > 0 ? '+Inf' : '-Inf';
  const [mantissa, exp] = v.toExponential().split('e');
  const e = Number(exp);
  return `${mantissa}e${e < 0 ? '-' : '+'}${String(Math.abs(e)).padStart(2, '0')}`;
}

/** The expression as Prometheus prints a loaded rule's; as written when our parser cannot read it. */
function normalQuery(expr: string): string {
  try {
    return printExpr(parsePromql(expr));
  } catch {
    return expr;
  }
}

/** An alert in Prometheus's API shape. */
export function prometheusAlert(a: AlertInfo) {
  const annotations: Record<string, string> = {};
  if (a.summary) annotations.summary = a.summary;
  if (a.description) annotations.description = a.description;
  if (a.runbook) annotations.runbook_url = a.runbook;
  return {
    labels: a.labels,
    annotations,
    state: a.state,
    activeAt: a.activeAt,
    value: goExponent(a.value),
  };
}

/** How a KPI's last evaluation went, in a rule's `health`, `lastError` and `lastEvaluation`. */
function health(reading: KpiReading | undefined, seconds: number) {
  if (!reading) return { health: 'unknown', evaluationTime: 0, lastEvaluation: NEVER };
  const failed = reading.reason?.startsWith('query error: ');
  return {
    health: failed ? 'err' : 'ok',
    ...(failed && { lastError: reading.reason?.slice('query error: '.length) }),
    // KPIs of a round are evaluated together; each rule shows the round's time.
    evaluationTime: seconds,
    lastEvaluation: reading.evaluatedAt,
  };
}

/** The health of a rule that reads no KPI: evaluated with the last round, if one has run. */
function roundHealth(last: string | undefined, seconds: number) {
  if (last === undefined) return { health: 'unknown', evaluationTime: 0, lastEvaluation: NEVER };
  return { health: 'ok', evaluationTime: seconds, lastEvaluation: last };
}

function worstState(alerts: readonly AlertInfo[]): 'firing' | 'pending' | 'inactive' {
  if (alerts.some((a) => a.state === 'firing')) return 'firing';
  return alerts.some((a) => a.state === 'pending') ? 'pending' : 'inactive';
}

/**
 * The rule group: a recording rule per KPI (`kpi_lights:<id>`) with its last reading's health,
 * then an alerting rule per alert rule with its pending and firing alerts. Names, expressions,
 * labels and annotations are those `kpi-lights export prometheus-rules` writes, so Grafana
 * shows the same rules here as on a Prometheus that loaded that file.
 *
 * @example
 * ```ts
 * rulesView({ policy, file: 'kpi-lights.yaml', readings, alerts, lastRoundMs: 12 }).rules.length;
 * ```
 */
export function rulesView(input: RulesInput) {
  const { policy } = input;
  const exported = prometheusRules(policy).file.groups[0]?.rules ?? [];
  const seconds = input.lastRoundMs / 1000;
  const byId = new Map(input.readings.map((r) => [r.id, r]));
  const last = input.readings
    .map((r) => r.evaluatedAt)
    .sort()
    .at(-1);
  const rules = exported.map((rule, i) => {
    if ('record' in rule) {
      const r = rule as RecordingRule;
      const kpi = policy.kpis[i];
      return {
        name: r.record,
        query: normalQuery(r.expr),
        ...health(kpi && byId.get(kpi.id), seconds),
        type: 'recording' as const,
      };
    }
    const a = rule as AlertingRule;
    const source = policy.alerts[i - policy.kpis.length];
    const kpiId = source && source.condition.kind !== 'query' ? source.condition.kpi : undefined;
    const alerts = input.alerts.filter((x) => x.name === a.alert);
    return {
      state: worstState(alerts),
      name: a.alert,
      query: normalQuery(a.expr),
      duration: (source?.forMs ?? 0) / 1000,
      keepFiringFor: (source?.keepFiringForMs ?? 0) / 1000,
      labels: a.labels,
      annotations: a.annotations ?? {},
      alerts: alerts.map(prometheusAlert),
      // A query rule has no KPI: kpi-lights keeps a failed query as no data, so it reads as
      // evaluated once a round has run.
      ...(kpiId === undefined ? roundHealth(last, seconds) : health(byId.get(kpiId), seconds)),
      type: 'alerting' as const,
    };
  });
  return {
    name: RULE_GROUP,
    file: input.file,
    rules,
    interval: policy.evaluation.intervalMs / 1000,
    limit: 0,
    evaluationTime: seconds,
    lastEvaluation: last ?? NEVER,
  };
}
