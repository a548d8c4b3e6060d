/** The small, safe template of alert texts: `{{ $value }}`, `{{ $labels.x }}`, `{{ $kpi }}`; nothing runs. */

/** What a template may name. */
export interface TemplateData {
  /** The value as text, already formatted for the KPI's unit. */
  readonly value: string;
  readonly labels: Readonly<Record<string, string>>;
  /** The KPI's title; empty for query alerts. */
  readonly kpi: string;
  /** The KPI threshold the rule compares with, formatted; empty when none. */
  readonly threshold: string;
  /** Budget left, formatted as a percentage; empty when the KPI has no objective. */
  readonly budgetRemaining: string;
}

const FIELD = /\{\{\s*(.*?)\s*\}\}/g;
const LABEL_REF = /^\$labels\.([a-zA-Z_][a-zA-Z0-9_]*)$/;
const NAMES = ['$value', '$kpi', '$threshold', '$budget_remaining'] as const;

/**
 * Why a template is refused, or undefined when every `{{ … }}` names something known. The
 * policy loader calls this, so a typo fails at load, not at 3 a.m. in a page.
 *
 * @example
 * ```ts
 * templateProblem('{{ $labels.agency }} at {{ $value }}'); // undefined
 * templateProblem('{{ .Value }}'); // 'unknown template field "{{ .Value }}"; use …'
 * ```
 */
export function templateProblem(template: string): string | undefined {
  for (const m of template.matchAll(FIELD)) {
    const ref = m[1];
    if (!(NAMES as readonly string[]).includes(ref) && !LABEL_REF.test(ref)) {
      return `unknown template field "${m[0]}"; use {{ $value }}, {{ $labels.NAME }}, {{ $kpi }}, {{ $threshold }} or {{ $budget_remaining }}`;
    }
  }
  const rest = template.replace(FIELD, '');
  if (rest.includes('{{') || rest.includes('}}')) return 'unbalanced "{{" or "}}"';
  return undefined;
}

/**
 * Fills a template. Only plain substitution: values are inserted as text, never read as
 * templates again, so a label value containing `{{` cannot inject anything. A missing label
 * becomes the empty string, as in Prometheus.
 *
 * @example
 * ```ts
 * expandTemplate('{{ $kpi }} at {{ $value }} ({{ $labels.agency }})',
 *   { value: '5.2 %', labels: { agency: 'IRS' }, kpi: 'E-file error rate', threshold: '3 %', budgetRemaining: '' });
 * // 'E-file error rate at 5.2 % (IRS)'
 * ```
 */
export function expandTemplate(template: string, data: TemplateData): string {
  return template.replace(FIELD, (_, ref: string) => {
    const label = LABEL_REF.exec(ref);
    if (label) return data.labels[label[1]] ?? '';
    if (ref === '$value') return data.value;
    if (ref === '$kpi') return data.kpi;
    if (ref === '$threshold') return data.threshold;
    if (ref === '$budget_remaining') return data.budgetRemaining;
    return '';
  });
}
