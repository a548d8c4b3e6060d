/** `kpi-lights export prometheus-rules`: the policy's KPIs and alerts for a Prometheus and an Alertmanager. */
import { stringify } from 'yaml';
import type { Policy } from '../../policy/types.js';
import { alertmanagerConfig } from './alertmanager-config.js';
import { prometheusRules } from './prometheus-rules.js';

export { alertmanagerConfig } from './alertmanager-config.js';
export { kpiRecordName, RULE_FILE } from './prometheus-names.js';
export { prometheusRules } from './prometheus-rules.js';

/** The two YAML texts of an export. */
export interface PrometheusExport {
  /** A rule file for Prometheus's `rule_files:`. */
  readonly rules: string;
  /** `route:` and `receivers:` to merge into an Alertmanager configuration. */
  readonly alertmanager: string;
}

const header = (title: string, notes: readonly string[]) =>
  [`# ${title}`, ...notes.map((n) => `# - ${n}`), ''].join('\n');

/**
 * Both files as YAML text, each opening with a comment on where it differs from kpi-lights.
 *
 * @example
 * ```ts
 * const { rules, alertmanager } = exportPrometheus(loadPolicyFile('kpi-lights.yaml').policy);
 * writeFileSync('kpi-lights.rules.yml', rules);
 * ```
 */
export function exportPrometheus(policy: Policy): PrometheusExport {
  const rules = prometheusRules(policy);
  const am = alertmanagerConfig(policy);
  const options = { lineWidth: 0 } as const;
  return {
    rules:
      header('Prometheus rules exported by kpi-lights from the same policy.', rules.notes) +
      stringify(rules.file, options),
    alertmanager:
      header('Alertmanager route and receivers exported by kpi-lights.', am.notes) +
      stringify(am.config, options),
  };
}
