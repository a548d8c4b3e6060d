/** Our alert templates (`{{ $value }}`, `{{ $kpi }}`, …) as Prometheus's Go templates. */
import type { KpiDefinition } from '../../policy/types.js';

const FIELD = /\{\{\s*(.*?)\s*\}\}/g;

/** Literal text inside a Go template: braces that would open an action are quoted. */
const literal = (text: string) => text.replaceAll('{{', '{{ "{{" }}');

/** How `$value` prints in Prometheus for a KPI's unit, close to how our mails print it. */
function valueField(kpi: KpiDefinition | undefined): string {
  switch (kpi?.unit) {
    case 'percent':
    case 'ratio':
      return '{{ $value | humanizePercentage }}';
    case 'seconds':
      return '{{ $value | humanizeDuration }}';
    default:
      return '{{ $value | humanize }}';
  }
}

/** What a template may say that Prometheus cannot compute: the KPI's title and threshold. */
export interface TemplateContext {
  readonly kpi: KpiDefinition | undefined;
  /** The threshold the rule compares with, when it has one. */
  readonly threshold: number | undefined;
}

/**
 * Rewrites one template. `$labels.x` and `$value` are Prometheus's own; `$kpi` and
 * `$threshold` are fixed per rule, so they are written in as text. `$budget_remaining` comes
 * from our history, which Prometheus does not have: it becomes "n/a".
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
    if (ref === '$value') out += valueField(context.kpi);
    else if (ref.startsWith('$labels.')) out += `{{ ${ref} }}`;
    else if (ref === '$kpi') out += literal(context.kpi?.title ?? '');
    else if (ref === '$threshold')
      out += context.threshold === undefined ? '' : String(context.threshold);
    else out += 'n/a';
  }
  return out + literal(template.slice(last));
}
