/** The KPI evaluation loop: rounds on a schedule, each recorded in history, changed readings told to the listener. */
import type { KpiReading } from '../../sdk/types.js';
import type { KpiHistoryStore } from '../history/kpi-history-store.js';
import type { Policy } from '../policy/types.js';
import { AlignedSchedule, realTimers, type Timers } from '../schedule/index.js';
import type { QuerySource } from '../source/query-source.js';
import { lintBuckets } from './bucket-lint.js';
import type { ScrapeHealthView } from './down-targets.js';
import { ErrorBudgets } from './error-budget.js';
import { kpiReading } from './kpi-reading.js';
import { evaluateRound } from './kpi-round.js';
import { ParsedQueries } from './parsed-queries.js';
import { judgeStaleness } from './reading-staleness.js';
import { RoundRecorder } from './round-recorder.js';
import { sameReading } from './same-reading.js';

/** Hears each reading that differs from the KPI's previous one. */
export type ReadingListener = (reading: KpiReading) => void;

/** Hears the end of each round: every reading of it (changed or not), and the round's time. */
export type RoundListener = (readings: readonly KpiReading[], nowMs: number) => void;

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
  const current = new Map<string, KpiReading>();
  let rounds = 0;
  let lastRoundMs = 0;
  let failures = 0;
  let queue: Promise<unknown> = Promise.resolve();

  /**
   * Target health from the source, to tell a stale target from no data. Advice: a source that
   * cannot say (Prometheus down) leaves it out, and its queries say why on their own.
   */
  async function targets(timeoutMs: number): Promise<readonly ScrapeHealthView[]> {
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

  /** The bucket lint of each query, asked of the source (the head, or Prometheus's series). */
  function lintRound(
    kpiQueries: readonly string[],
    timeoutMs: number,
  ): Promise<(readonly string[])[]> {
    return Promise.all(
      kpiQueries.map(async (q) => {
        try {
          return await lintBuckets(queries.selectors(q), source, { timeoutMs });
        } catch {
          return []; // advice only: a source that is down or a query that does not parse
        }
      }),
    );
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
    const lintAsked = lintRound(
      p.kpis.map((k) => k.query),
      timeoutMs,
    );
    const outcomes = await evaluateRound(p.kpis, nowMs, {
      source,
      targets: targets(timeoutMs),
      queries,
      timeoutMs,
      timers,
    });
    failures += outcomes.filter((o) => o.failed).length;
    if (!recorder.record(p.kpis, outcomes, nowMs, v)) failures++;
    const lint = await lintAsked;
    const readings = p.kpis.map((kpi, i) =>
      judgeStaleness(
        kpiReading(kpi, outcomes[i], {
          policyVersion: v,
          nowMs,
          budgets,
          bucketWarnings: lint[i],
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
      queries.retain(next.kpis.map((k) => k.query));
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
