/** KPI evaluation: value → status, groups, error budget, bucket and selector lint, and the evaluation loop. */

export { groupKey } from '../../shared/group-key.js';
export { isWorse, STATUS_RANK, type StatusOutcome, statusOf } from '../../shared/status.js';
export { lintBuckets } from './bucket-lint.js';
export { downTargetsOf, type ScrapeHealthView } from './down-targets.js';
export { type BudgetSpec, ErrorBudgets, formatWindow } from './error-budget.js';
export {
  type EvaluateKpiOptions,
  evaluateKpi,
  type KpiOutcome,
  type KpiQuerySpec,
} from './evaluate-kpi.js';
export {
  type AlertLintListener,
  createKpiEvaluator,
  type KpiEvaluator,
  type KpiEvaluatorOptions,
  type ReadingListener,
  type RoundListener,
} from './kpi-evaluator.js';
export { kpiReading, type ReadingContext } from './kpi-reading.js';
export { evaluateRound, type RoundContext } from './kpi-round.js';
export { couldMatchLater } from './label-value-forms.js';
export { LintRounds } from './lint-rounds.js';
export { ParsedQueries } from './parsed-queries.js';
export { type QuerySelector, querySelectors } from './query-selectors.js';
export { RoundRecorder } from './round-recorder.js';
export { sameReading } from './same-reading.js';
export {
  lintSelectors,
  type QueryLint,
  type SelectorLintOptions,
  type TargetView,
} from './selector-lint.js';
