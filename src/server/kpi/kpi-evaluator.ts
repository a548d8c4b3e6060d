/** The KPI evaluation loop: rounds on a schedule, each recorded in history, changed readings told to the listener. */
import type { KpiReading } from '../../sdk/types.js';
import type { KpiHistoryStore } from '../history/kpi-history-store.js';
import type { Policy } from '../policy/types.js';
import { AlignedSchedule, realTimers, type Timers } from '../schedule/index.js';
import type { QuerySource } from '../source/query-source.js';
import {
  AlertLintChanges,
  type AlertLintListener,
  type AlertQuery,
  queryAlerts,
} from './alert-lint-changes.js';
import { CurrentReadings, type ReadingListener } from './current-readings.js';
import { ErrorBudgets } from './error-budget.js';
import { kpiReading } from './kpi-reading.js';
import { evaluateRound } from './kpi-round.js';
import { LintRounds } from './lint-rounds.js';
import { ParsedQueries } from './parsed-queries.js';
import { judgeStaleness } from './reading-staleness.js';
import { RoundRecorder } from './round-recorder.js';
import type { TargetView } from './selector-lint.js';

export type { AlertLintListener, ReadingListener };

/** Hears the end of each round: every reading of it (changed or not), and the round's time. */
export type RoundListener = (readings: readonly KpiReading[], nowMs: number) => void;

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
  return new KpiEvaluationLoop(options);
}

/** The evaluator's parts and state, one small method per step; built by {@link createKpiEvaluator}. */
class KpiEvaluationLoop implements KpiEvaluator {
  readonly #options: KpiEvaluatorOptions;
  readonly #timers: Timers;
  readonly #budgets: ErrorBudgets;
  readonly #recorder: RoundRecorder;
  readonly #queries = new ParsedQueries();
  readonly #lint: LintRounds;
  readonly #alertLint: AlertLintChanges;
  readonly #current: CurrentReadings;
  readonly #schedule: AlignedSchedule;
  #policy: Policy;
  #version: number;
  #rounds = 0;
  #lastRoundMs = 0;
  #failures = 0;
  #queue: Promise<unknown> = Promise.resolve();

  constructor(options: KpiEvaluatorOptions) {
    this.#options = options;
    this.#timers = options.timers ?? realTimers;
    this.#policy = options.policy;
    this.#version = options.policyVersion;
    this.#budgets = new ErrorBudgets(options.history);
    this.#recorder = new RoundRecorder(options.history);
    this.#lint = new LintRounds(
      options.lintEveryMs ?? Math.max(LINT_EVERY_MS, options.policy.evaluation.intervalMs),
    );
    this.#alertLint = new AlertLintChanges(options.onAlertLint);
    this.#current = new CurrentReadings(options.onReading);
    // Slots on whole multiples of the interval line up with other servers and with history buckets.
    this.#schedule = new AlignedSchedule({
      intervalMs: () => this.#policy.evaluation.intervalMs,
      work: (slot) =>
        this.evaluate(slot).catch(() => {
          this.#failures++;
        }),
      timers: this.#timers,
    });
  }

  // An own property, not a method, so it still works when passed on detached from the evaluator.
  readonly evaluate = (nowMs?: number): Promise<readonly KpiReading[]> => {
    // Rounds run one after another, so history and the listener see them in order.
    const run = this.#queue.then(() => this.#round(nowMs ?? this.#timers.now()));
    this.#queue = run.catch(() => {});
    return run;
  };

  readings(): readonly KpiReading[] {
    return this.#current.inOrderOf(this.#policy);
  }

  reading(id: string): KpiReading | undefined {
    return this.#current.get(id);
  }

  policyVersion(): number {
    return this.#version;
  }

  setPolicy(next: Policy, nextVersion: number): void {
    const intervalChanged = next.evaluation.intervalMs !== this.#policy.evaluation.intervalMs;
    this.#policy = next;
    this.#version = nextVersion;
    const ids = new Set(next.kpis.map((k) => k.id));
    this.#current.retain(ids);
    this.#budgets.retain(ids);
    const kept = [...next.kpis.map((k) => k.query), ...queryAlerts(next).map((a) => a.query)];
    this.#queries.retain(kept);
    this.#lint.retain(kept);
    if (intervalChanged) this.#schedule.replan();
  }

  start(): void {
    this.#schedule.start();
  }

  async stop(): Promise<void> {
    await this.#schedule.stop();
    await this.#queue;
  }

  stats(): { readonly rounds: number; readonly lastRoundMs: number; readonly failures: number } {
    return { rounds: this.#rounds, lastRoundMs: this.#lastRoundMs, failures: this.#failures };
  }

  /** One round of the policy of the moment: query, record, lint, then tell the listeners. */
  async #round(nowMs: number): Promise<readonly KpiReading[]> {
    const started = performance.now();
    const policy = this.#policy;
    const policyVersion = this.#version;
    const { source, queryTimeoutMs } = this.#options;
    const timeoutMs = Math.min(
      policy.evaluation.intervalMs,
      queryTimeoutMs ?? Number.POSITIVE_INFINITY,
    );
    // Health, queries and lint go out together, so a slow source costs a round one time limit,
    // not three.
    const health = this.#targets(timeoutMs);
    const alertQueries = queryAlerts(policy);
    const lintAsked = this.#askLint(policy, alertQueries, nowMs, timeoutMs);
    const outcomes = await evaluateRound(policy.kpis, nowMs, {
      source,
      targets: health,
      queries: this.#queries,
      timeoutMs,
      timers: this.#timers,
    });
    this.#failures += outcomes.filter((o) => o.failed).length;
    if (!this.#recorder.record(policy.kpis, outcomes, nowMs, policyVersion)) this.#failures++;
    const linted = await lintAsked;
    this.#alertLint.tell(alertQueries, linted);
    const readings = policy.kpis.map((kpi, i) =>
      judgeStaleness(
        kpiReading(kpi, outcomes[i], {
          policyVersion,
          nowMs,
          budgets: this.#budgets,
          lintWarnings: linted.get(kpi.query),
        }),
        nowMs,
        policy.evaluation.intervalMs,
      ),
    );
    this.#tell(readings, nowMs);
    this.#rounds++;
    this.#lastRoundMs = performance.now() - started;
    return readings;
  }

  /** Starts the selector lint of every KPI's and query alert's query for this round. */
  #askLint(
    policy: Policy,
    alertQueries: readonly AlertQuery[],
    nowMs: number,
    timeoutMs: number,
  ): Promise<ReadonlyMap<string, readonly string[]>> {
    return this.#lint.warnings(
      [...policy.kpis.map((k) => k.query), ...alertQueries.map((a) => a.query)],
      {
        source: this.#options.source,
        selectors: (q) => this.#queries.selectors(q),
        atMs: nowMs,
        timeoutMs,
        targets: () => this.#targets(timeoutMs),
      },
    );
  }

  /** Publishes the readings that changed, then hands the whole round to `onRound`. */
  #tell(readings: readonly KpiReading[], nowMs: number): void {
    // The policy of now, not the round's: a KPI removed while the round ran stays removed.
    this.#current.publish(readings, this.#policy);
    try {
      this.#options.onRound?.(readings, nowMs);
    } catch {
      // A listener's bug must not stop the loop.
    }
  }

  /**
   * Target health from the source, to tell a stale target from no data. Advice: a source that
   * cannot say (Prometheus down) leaves it out, and its queries say why on their own.
   */
  async #targets(timeoutMs: number): Promise<readonly TargetView[]> {
    try {
      return (await this.#options.source.targets?.({ timeoutMs })) ?? [];
    } catch {
      return [];
    }
  }
}
