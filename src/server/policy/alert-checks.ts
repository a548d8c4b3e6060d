/** Checks on the `alerts:` section that its schema cannot express: references, mixes, templates. */

import { templateProblem } from './alert-template.js';
import type { RawSections } from './schema.js';
import type { SemanticIssues } from './semantic-issues.js';
import type { FieldPath } from './yaml-position.js';

/** One alert item as its schema parsed it. */
type RawAlert = NonNullable<NonNullable<RawSections['alerts']>[number]>;

/** Where an alert item's fields are: `at('kpi')` is `['alerts', i, 'kpi']`. */
type AlertPath = (...path: FieldPath) => FieldPath;

/** Checks every alert that parsed: unique names, what it watches, its texts and receivers. */
export function checkAlerts(s: RawSections, issues: SemanticIssues): void {
  if (!s.alerts) return;
  const seen = new Map<string, number>();
  const objectives =
    s.kpis && new Set(s.kpis.flatMap((k) => (k?.objective !== undefined ? [k.id] : [])));
  s.alerts.forEach((a, i) => {
    if (!a) return;
    const at: AlertPath = (...path) => ['alerts', i, ...path];
    issues.unique(['alerts'], i, 'name', a.name, seen);
    checkCondition(a, at, issues, objectives);
    checkTexts(a, at, issues);
    a.notify?.forEach((name, j) => {
      if (!issues.ctx.known.receivers.has(name)) {
        issues.add(at('notify', j), `no receiver is named "${name}"`);
      }
    });
  });
}

/**
 * Checks what an alert fires on: a KPI or a query, and the fields that go with each.
 * `objectives` holds the KPIs that have one, undefined when the KPI section did not parse.
 */
function checkCondition(
  a: RawAlert,
  at: AlertPath,
  issues: SemanticIssues,
  objectives: ReadonlySet<string> | undefined,
) {
  const { kpiIds } = issues.ctx.known;
  if ((a.kpi === undefined) === (a.query === undefined)) {
    issues.add(at(), 'needs exactly one of "kpi" and "query"');
  }
  if (a.kpi !== undefined && !kpiIds.has(a.kpi)) {
    issues.add(at('kpi'), `no KPI has id "${a.kpi}"`);
  }
  if (a.query !== undefined) {
    if (a.when !== undefined) {
      issues.add(
        at('when'),
        '"when" is for KPI alerts; a query alert fires while its query returns any series',
      );
    }
    if (a.burn_rate !== undefined) issues.add(at('burn_rate'), '"burn_rate" is for KPI alerts');
    issues.query(at('query'), a.query);
  }
  if (a.burn_rate !== undefined && a.kpi !== undefined) {
    if (a.when !== undefined) {
      issues.add(at('when'), '"when" and "burn_rate" do not mix: a burn rate is its own condition');
    }
    if (kpiIds.has(a.kpi) && objectives && !objectives.has(a.kpi)) {
      issues.add(at('burn_rate'), `KPI "${a.kpi}" has no objective to burn`);
    }
  }
}

/** Checks an alert's templated texts and its extra labels. */
function checkTexts(a: RawAlert, at: AlertPath, issues: SemanticIssues) {
  for (const field of ['summary', 'description', 'runbook'] as const) {
    const problem = a[field] === undefined ? undefined : templateProblem(a[field]);
    if (problem) issues.add(at(field), problem);
  }
  for (const [name, value] of Object.entries(a.labels ?? {})) {
    if (name === 'alertname' || name === 'severity' || name === 'kpi') {
      issues.add(at('labels', name), `"${name}" is set by the rule itself`);
    }
    const problem = templateProblem(value);
    if (problem) issues.add(at('labels', name), problem);
  }
}
