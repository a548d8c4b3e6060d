/** Our alert templates (`{{ $value }}`, `{{ $kpi }}`, …) as Prometheus's Go templates. */
import type { KpiUnit } from '../../../sdk/types.js';
import type { KpiDefinition } from '../../policy/types.js';
import { formatAlertValue, UNIT_SUFFIX } from '../alert-value.js';

const FIELD = /\{\{\s*(.*?)\s*\}\}/g;

/** Literal text inside a Go template: braces that would open an action are quoted. */
const literal = (text: string) => text.replaceAll('{{', '{{ "{{" }}');

/**
 * How `$value` prints in Prometheus, as kpi-lights prints it (`formatAlertValue`): a percent
 * KPI with `humanizePercentage`, anything else to four significant digits with its unit.
 */
function valueField(unit: TemplateContext['unit']): string {
  if (unit === 'percent') return '{{ $value | humanizePercentage }}';
  const suffix = unit === 'burn' ? '×' : unit ? (UNIT_SUFFIX[unit] ?? '') : '';
  return `{{ printf "%.4g" $value }}${literal(suffix)}`;
}

/** What a template may say that Prometheus cannot compute: the KPI's title and threshold. */
export interface TemplateContext {
  readonly kpi: KpiDefinition | undefined;
  /** The threshold the rule compares with, when it has one. */
  readonly threshold: number | undefined;
  /** What `$value` is in: the KPI's unit, `burn` for a burn rate. Default the KPI's unit. */
  readonly unit?: KpiUnit | 'burn';
}

/**
 * Rewrites one template. `$labels.x` and `$value` are Prometheus's own; `$kpi` and
 * `$threshold` are fixed per rule, so they are written in as text, the threshold as kpi-lights
 * words it (`3 %`). `$budget_remaining` comes from our history, which Prometheus does not have:
 * it becomes "n/a".
 *
 * @example
 * ```ts
 * toPrometheusTemplate('{{ $kpi }} at {{ $value }}', { kpi, threshold: 0.03 });
 * // 'E-file error rate at {{ $value | humanizePercentage }}'
 * ```
 */
export function toPrometheusTemplate(template: string, context: TemplateContext): string {
  let out = '';
  let last = 0;
  for (const m of template.matchAll(FIELD)) {
    out += literal(template.slice(last, m.index));
    last = m.index + m[0].length;
    const ref = m[1];
    if (ref === '$value') out += valueField(context.unit ?? context.kpi?.unit);
    else if (ref.startsWith('$labels.')) out += `{{ ${ref} }}`;
    else if (ref === '$kpi') out += literal(context.kpi?.title ?? '');
    else if (ref === '$threshold')
      out +=
        context.threshold === undefined
          ? ''
          : literal(formatAlertValue(context.threshold, context.kpi?.unit));
    else out += 'n/a';
  }
  return out + literal(template.slice(last));
}
