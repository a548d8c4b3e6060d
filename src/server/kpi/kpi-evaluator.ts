/** The KPI evaluation loop: rounds on a schedule, each recorded in history, changed readings told to the listener. */
import type { KpiReading } from '../../sdk/types.js';
import type { KpiHistoryStore } from '../history/kpi-history-store.js';
import type { Policy } from '../policy/types.js';
import { AlignedSchedule, realTimers, type Timers } from '../schedule/index.js';
import type { QuerySource } from '../source/query-source.js';
import { ErrorBudgets } from './error-budget.js';
import { kpiReading } from './kpi-reading.js';
import { evaluateRound } from './kpi-round.js';
import { LintRounds } from './lint-rounds.js';
import { ParsedQueries } from './parsed-queries.js';
import { judgeStaleness } from './reading-staleness.js';
import { RoundRecorder } from './round-recorder.js';
import { sameReading } from './same-reading.js';
import type { TargetView } from './selector-lint.js';

/** Hears each reading that differs from the KPI's previous one. */
export type ReadingListener = (reading: KpiReading) => void;

/** Hears the end of each round: every reading of it (changed or not), and the round's time. */
export type RoundListener = (readings: readonly KpiReading[], nowMs: number) => void;

/** Hears the selector lint's warnings on a query alert's query when they change (`[]`: none now). */
export type AlertLintListener = (rule: string, warnings: readonly string[]) => void;

/** How often a query already linted is linted again, at least: the lint is advice, not a reading. */
const LINT_EVERY_MS = 60_000;

export interface KpiEvaluatorOptions {
  readonly source: QuerySource;
  readonly history: KpiHistoryStore;
  readonly policy: Policy;
  readonly policyVersion: number;
  /**
   * Who hears a reading: called with each one that differs from the previous one of that KPI
   * (value, status, reason, groups, warnings, budget), never for identical repeats. To tell
   * several parts, pass one function that tells each. An exception it throws is swallowed.
   */
  readonly onReading?: ReadingListener;
  /**
   * Called after each round with all its readings, after `onReading`: alerts judge every
   * round, not only changes, because `for` counts time. An exception it throws is swallowed.
   */
  readonly onRound?: RoundListener;
  /**
   * The most one KPI query may run, ms (`--query.timeout`). A query never gets longer than the
   * evaluation interval either. Default: the interval.
   */
  readonly queryTimeoutMs?: number;
  /** Clock and timers of the schedule and of each query's time limit. Default the real ones. */
  readonly timers?: Timers;
  /**
   * How often the selector lint asks again about a query it has judged, ms. A new query (at
   * load, after a policy change) is linted in its first round whatever this is. Default: a
   * minute, or the evaluation interval when that is longer.
   */
  readonly lintEveryMs?: number;
  /** Hears the lint's warnings on query alerts, which have no reading to carry them. */
  readonly onAlertLint?: AlertLintListener;
}

export interface KpiEvaluator {
  /** One round: every KPI at `nowMs`, each recorded in history; the listener hears changed readings. */
  evaluate(nowMs?: number): Promise<readonly KpiReading[]>;
  readings(): readonly KpiReading[];
  reading(id: string): KpiReading | undefined;
  /** The version of the policy later rounds run. */
  policyVersion(): number;
  /** Hot reload: later rounds use the new KPIs; readings of removed KPIs disappear; history is kept. */
  setPolicy(policy: Policy, version: number): void;
  /** Evaluates every `policy.evaluation.intervalMs`, aligned, never overlapping rounds. */
  start(): void;
  /** Stops the loop and waits for a round in flight. */
  stop(): Promise<void>;
  /** Durations of the last rounds, for the server's own /metrics. */
  stats(): { readonly rounds: number; readonly lastRoundMs: number; readonly failures: number };
}

/** A query alert's rule name and query. */
interface AlertQuery {
  readonly rule: string;
  readonly query: string;
}

function queryAlerts(policy: Policy): AlertQuery[] {
  return policy.alerts.flatMap((a) =>
    a.condition.kind === 'query' ? [{ rule: a.name, query: a.condition.query }] : [],
  );
}

/**
 * Creates the evaluator. Each round evaluates every KPI concurrently, each query limited to the
 * evaluation interval, so one slow or failing KPI turns grey with `query error: …` and never
 * holds up or breaks the others ({@link evaluateRound}). The round is then recorded in history
 * as one transaction ({@link RoundRecorder}), each outcome becomes a reading with its budget
 * read back from history ({@link kpiReading}), and the listener hears the readings that changed.
 * Beside the queries, the selector lint ({@link LintRounds}) asks the source whether each KPI and
 * query alert selects series no target sends; its warnings go on the KPI's reading, and to
 * `onAlertLint` for alerts.
 *
 * `stats().failures` counts, like Prometheus's rule evaluation failures, every KPI query that
 * failed or timed out, plus every round whose history write failed.
 *
 * @example
 * ```ts
 * const kpis = createKpiEvaluator({
 *   source, history, policy, policyVersion: 1,
 *   onReading: (reading) => stream.publish('kpi', reading),
 * });
 * kpis.start();
 * // on shutdown
 * await kpis.stop();
 * ```
 */
export function createKpiEvaluator(options: KpiEvaluatorOptions): KpiEvaluator {
  const { source, history, onReading, onRound } = options;
  const timers = options.timers ?? realTimers;
  let policy = options.policy;
  let version = options.policyVersion;
  const budgets = new ErrorBudgets(history);
  const recorder = new RoundRecorder(history);
  const queries = new ParsedQueries();
  const lint = new LintRounds(
    options.lintEveryMs ?? Math.max(LINT_EVERY_MS, options.policy.evaluation.intervalMs),
  );
  const alertLint = new Map<string, string>();
  const current = new Map<string, KpiReading>();
  let rounds = 0;
  let lastRoundMs = 0;
  let failures = 0;
  let queue: Promise<unknown> = Promise.resolve();

  /**
   * Target health from the source, to tell a stale target from no data. Advice: a source that
   * cannot say (Prometheus down) leaves it out, and its queries say why on their own.
   */
  async function targets(timeoutMs: number): Promise<readonly TargetView[]> {
    try {
      return (await source.targets?.({ timeoutMs })) ?? [];
    } catch {
      return [];
    }
  }

  function publish(readings: readonly KpiReading[]): void {
    const live = new Set(policy.kpis.map((k) => k.id));
    for (const r of readings) {
      // A KPI removed by setPolicy while this round ran must not come back.
      if (!live.has(r.id)) continue;
      const prev = current.get(r.id);
      current.set(r.id, r);
      if (prev && sameReading(prev, r)) continue;
      try {
        onReading?.(r);
      } catch {
        // A listener's bug must not stop the loop.
      }
    }
  }

  /** Tells the alert lint listener each query alert whose warnings changed. */
  function tellAlertLint(
    rules: readonly AlertQuery[],
    lint: ReadonlyMap<string, readonly string[]>,
  ) {
    const live = new Set(rules.map((r) => r.rule));
    for (const rule of alertLint.keys()) if (!live.has(rule)) alertLint.delete(rule);
    for (const { rule, query } of rules) {
      const warnings = lint.get(query) ?? [];
      const key = warnings.join('\n');
      if ((alertLint.get(rule) ?? '') === key) continue;
      alertLint.set(rule, key);
      try {
        options.onAlertLint?.(rule, warnings);
      } catch {
        // A listener's bug must not stop the loop.
      }
    }
  }

  async function round(nowMs: number): Promise<readonly KpiReading[]> {
    const started = performance.now();
    const p = policy;
    const v = version;
    const timeoutMs = Math.min(
      p.evaluation.intervalMs,
      options.queryTimeoutMs ?? Number.POSITIVE_INFINITY,
    );
    // Health, queries and lint go out together, so a slow source costs a round one time limit,
    // not three.
    const health = targets(timeoutMs);
    const alertQueries = queryAlerts(p);
    const lintAsked = lint.warnings(
      [...p.kpis.map((k) => k.query), ...alertQueries.map((a) => a.query)],
      {
        source,
        selectors: (q) => queries.selectors(q),
        atMs: nowMs,
        timeoutMs,
        targets: () => targets(timeoutMs),
      },
    );
    const outcomes = await evaluateRound(p.kpis, nowMs, {
      source,
      targets: health,
      queries,
      timeoutMs,
      timers,
    });
    failures += outcomes.filter((o) => o.failed).length;
    if (!recorder.record(p.kpis, outcomes, nowMs, v)) failures++;
    const linted = await lintAsked;
    tellAlertLint(alertQueries, linted);
    const readings = p.kpis.map((kpi, i) =>
      judgeStaleness(
        kpiReading(kpi, outcomes[i], {
          policyVersion: v,
          nowMs,
          budgets,
          lintWarnings: linted.get(kpi.query),
        }),
        nowMs,
        p.evaluation.intervalMs,
      ),
    );
    publish(readings);
    try {
      onRound?.(readings, nowMs);
    } catch {
      // A listener's bug must not stop the loop.
    }
    rounds++;
    lastRoundMs = performance.now() - started;
    return readings;
  }

  function evaluate(nowMs?: number): Promise<readonly KpiReading[]> {
    // Rounds run one after another, so history and the listener see them in order.
    const run = queue.then(() => round(nowMs ?? timers.now()));
    queue = run.catch(() => {});
    return run;
  }

  // Slots on whole multiples of the interval line up with other servers and with history buckets.
  const schedule = new AlignedSchedule({
    intervalMs: () => policy.evaluation.intervalMs,
    work: (slot) =>
      evaluate(slot).catch(() => {
        failures++;
      }),
    timers,
  });

  return {
    evaluate,
    readings: () => policy.kpis.flatMap((k) => current.get(k.id) ?? []),
    reading: (id) => current.get(id),
    policyVersion: () => version,
    setPolicy(next, nextVersion) {
      const intervalChanged = next.evaluation.intervalMs !== policy.evaluation.intervalMs;
      policy = next;
      version = nextVersion;
      const ids = new Set(next.kpis.map((k) => k.id));
      for (const id of current.keys()) if (!ids.has(id)) current.delete(id);
      budgets.retain(ids);
      const kept = [...next.kpis.map((k) => k.query), ...queryAlerts(next).map((a) => a.query)];
      queries.retain(kept);
      lint.retain(kept);
      if (intervalChanged) schedule.replan();
    },
    start: () => schedule.start(),
    async stop() {
      await schedule.stop();
      await queue;
    },
    stats: () => ({ rounds, lastRoundMs, failures }),
  };
}
