/** Names the export gives things: the recording rule of a KPI, and the rule file itself. */

/** The file `export prometheus-rules` writes the rules to, and a Prometheus configuration loads. */
export const RULE_FILE = 'kpi-lights.rules.yml';

/**
 * The series a KPI is recorded as. A KPI id may hold `-` and `.`, which a metric name may not,
 * so they become `_`; the `kpi_lights:` prefix follows the `level:metric` naming of recording
 * rules and keeps them apart from scraped series.
 *
 * @example
 * ```ts
 * kpiRecordName('efile-error-rate'); // 'kpi_lights:efile_error_rate'
 * ```
 */
export function kpiRecordName(kpiId: string): string {
  return `kpi_lights:${kpiId.replace(/[^a-zA-Z0-9_]/g, '_')}`;
}
