/** The KPI evaluation loop: every KPI each round, recorded in history, changes told to listeners. */
import type { KpiBudget, KpiReading, TargetHealth } from '../../sdk/types.js';
import { groupKey } from '../history/group-key.js';
import type { KpiHistoryStore, StoredReading } from '../history/kpi-history-store.js';
import type { KpiDefinition, Policy } from '../policy/types.js';
import type { QuerySource } from '../source/query-source.js';
import type { HeadStore } from '../store/types.js';
import { lintBuckets } from './bucket-lint.js';
import type { TargetHealthLike } from './down-targets.js';
import { ErrorBudgets } from './error-budget.js';
import { evaluateKpi, type KpiOutcome } from './evaluate-kpi.js';
import { type QuerySelector, querySelectors } from './query-selectors.js';
import { judgeStaleness, type UnjudgedReading } from './reading-staleness.js';
import { sameReading } from './same-reading.js';

export interface KpiEvaluatorOptions {
  readonly source: QuerySource;
  readonly history: KpiHistoryStore;
  readonly policy: Policy;
  readonly policyVersion: number;
  /**
   * Scrape health per target, to tell a stale target from no data. The API's `TargetHealth`
   * fits, and so does the scraper's own record: only url, job, labels, health and lastError are read.
   */
  readonly targetHealth?: () => readonly (TargetHealth | TargetHealthLike)[];
  /** For the bucket lint. */
  readonly head?: HeadStore;
  readonly now?: () => number;
}

export interface KpiEvaluator {
  /** One round: every KPI at `nowMs`, each recorded in history; listeners hear changed readings. */
  evaluate(nowMs?: number): Promise<readonly KpiReading[]>;
  readings(): readonly KpiReading[];
  reading(id: string): KpiReading | undefined;
  /** Hot reload: later rounds use the new KPIs; readings of removed KPIs disappear; history is kept. */
  setPolicy(policy: Policy, version: number): void;
  /** Called with each reading that differs from the previous one of that KPI (value, status, reason, groups, warnings, budget) — not for identical repeats. Returns an unsubscribe function. */
  onReading(listener: (reading: KpiReading) => void): () => void;
  /** Evaluates every `policy.evaluation.intervalMs`, aligned, never overlapping rounds. */
  start(): void;
  /** Stops the loop and waits for a round in flight. */
  stop(): Promise<void>;
  /** Durations of the last rounds, for the server's own /metrics. */
  stats(): { readonly rounds: number; readonly lastRoundMs: number; readonly failures: number };
}

/** How often old history is pruned; once an hour keeps the table bounded at no real cost. */
const PRUNE_EVERY_MS = 3_600_000;

function message(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

function toReading(
  kpi: KpiDefinition,
  out: KpiOutcome,
  policyVersion: number,
  nowMs: number,
  budget: KpiBudget | undefined,
  warnings: readonly string[],
): UnjudgedReading {
  // Optional fields are left out rather than set to undefined, so the JSON and the
  // change check see the same thing.
  return {
    id: kpi.id,
    title: kpi.title,
    ...(kpi.description !== undefined ? { description: kpi.description } : {}),
    unit: kpi.unit,
    direction: kpi.direction,
    thresholds: kpi.thresholds,
    ...(kpi.objective !== undefined ? { objective: kpi.objective } : {}),
    value: out.value,
    status: out.status,
    ...(out.reason !== undefined ? { reason: out.reason } : {}),
    evaluatedAt: new Date(nowMs).toISOString(),
    policyVersion,
    ...(kpi.runbook !== undefined ? { runbook: kpi.runbook } : {}),
    ...(out.groups !== undefined ? { groups: out.groups } : {}),
    ...(budget !== undefined ? { budget } : {}),
    ...(warnings.length > 0 ? { warnings } : {}),
  };
}

/**
 * Creates the evaluator. Each round evaluates every KPI concurrently, each query limited to the
 * evaluation interval (a round cannot usefully outlast the next one), so one slow or failing
 * KPI turns grey with `query error: …` and never holds up or breaks the others. The round is
 * then recorded in history as one transaction (grouped KPIs also per group), budgets are read
 * back from it, and listeners hear the readings that changed.
 *
 * `stats().failures` counts, like Prometheus's rule evaluation failures, every KPI query that
 * failed or timed out, plus every round whose history write failed.
 *
 * @example
 * ```ts
 * const kpis = createKpiEvaluator({ source, history, policy, policyVersion: 1, head });
 * kpis.onReading((r) => hub.publish('kpi', r));
 * kpis.start();
 * // on shutdown
 * await kpis.stop();
 * ```
 */
export function createKpiEvaluator(options: KpiEvaluatorOptions): KpiEvaluator {
  const { source, history, head } = options;
  const now = options.now ?? Date.now;
  let policy = options.policy;
  let version = options.policyVersion;
  const budgets = new ErrorBudgets(history);
  const current = new Map<string, KpiReading>();
  const listeners = new Set<(reading: KpiReading) => void>();
  const parsed = new Map<string, QuerySelector[]>();
  let rounds = 0;
  let lastRoundMs = 0;
  let failures = 0;
  let lastPrune = Number.NEGATIVE_INFINITY;
  let queue: Promise<unknown> = Promise.resolve();
  let running = false;
  let timer: NodeJS.Timeout | undefined;
  let loopRound: Promise<unknown> | undefined;
  let lastSlot = Number.NEGATIVE_INFINITY;

  function selectors(query: string): QuerySelector[] {
    let s = parsed.get(query);
    if (!s) {
      s = querySelectors(query);
      parsed.set(query, s);
    }
    return s;
  }

  function targets(): readonly TargetHealthLike[] {
    try {
      return options.targetHealth?.() ?? [];
    } catch {
      return [];
    }
  }

  function record(
    kpis: readonly KpiDefinition[],
    outcomes: readonly KpiOutcome[],
    t: number,
    policyVersion: number,
  ): void {
    const stored: StoredReading[] = [];
    kpis.forEach((kpi, i) => {
      const out = outcomes[i];
      const base = { kpi: kpi.id, t, policyVersion };
      stored.push({ ...base, group: '', value: out.value, status: out.status });
      for (const g of out.groups ?? []) {
        stored.push({
          ...base,
          group: groupKey(g.labels, kpi.by),
          value: g.value,
          status: g.status,
        });
      }
    });
    try {
      history.record(stored);
      if (t - lastPrune >= PRUNE_EVERY_MS) {
        lastPrune = t;
        history.prune(t);
      }
    } catch {
      failures++;
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
      for (const listener of listeners) {
        try {
          listener(r);
        } catch {
          // A listener's bug must not stop the others or the loop.
        }
      }
    }
  }

  async function round(nowMs: number): Promise<readonly KpiReading[]> {
    const started = performance.now();
    const p = policy;
    const v = version;
    const health = targets();
    const timeoutMs = p.evaluation.intervalMs;
    const outcomes = await Promise.all(
      p.kpis.map((kpi) =>
        evaluateKpi(kpi, source, nowMs, {
          targets: health,
          selectors: selectors(kpi.query),
          timeoutMs,
        }).catch(
          (err: unknown): KpiOutcome => ({
            value: null,
            status: 'unknown',
            reason: `query error: ${message(err)}`,
            warnings: [],
            failed: true,
          }),
        ),
      ),
    );
    failures += outcomes.filter((o) => o.failed).length;
    record(p.kpis, outcomes, nowMs, v);
    const readings = p.kpis.map((kpi, i) => {
      let budget: KpiBudget | undefined;
      const warnings = [...outcomes[i].warnings];
      try {
        budget = budgets.budget(kpi, nowMs);
      } catch (err) {
        warnings.push(`error budget unavailable: ${message(err)}`);
      }
      if (head) {
        try {
          warnings.push(...lintBuckets(selectors(kpi.query), head));
        } catch {
          // The lint is advice; a store hiccup must not cost the reading.
        }
      }
      return judgeStaleness(
        toReading(kpi, outcomes[i], v, nowMs, budget, warnings),
        nowMs,
        p.evaluation.intervalMs,
      );
    });
    publish(readings);
    rounds++;
    lastRoundMs = performance.now() - started;
    return readings;
  }

  function evaluate(nowMs?: number): Promise<readonly KpiReading[]> {
    // Rounds run one after another, so history and listeners see them in order.
    const run = queue.then(() => round(nowMs ?? now()));
    queue = run.catch(() => {});
    return run;
  }

  function schedule(): void {
    if (!running) return;
    const interval = policy.evaluation.intervalMs;
    const t = now();
    // The next whole multiple of the interval, never the same slot twice: rounds line up with
    // those of other servers and with history buckets, and a late round skips missed slots.
    const slot = Math.max((Math.floor(t / interval) + 1) * interval, lastSlot + interval);
    timer = setTimeout(() => {
      timer = undefined;
      lastSlot = slot;
      loopRound = evaluate(slot)
        .catch(() => {
          failures++;
        })
        .finally(() => {
          loopRound = undefined;
          schedule();
        });
    }, slot - t);
  }

  return {
    evaluate,
    readings: () => policy.kpis.flatMap((k) => current.get(k.id) ?? []),
    reading: (id) => current.get(id),
    setPolicy(next, nextVersion) {
      policy = next;
      version = nextVersion;
      const ids = new Set(next.kpis.map((k) => k.id));
      for (const id of current.keys()) if (!ids.has(id)) current.delete(id);
      budgets.retain(ids);
      const queries = new Set(next.kpis.map((k) => k.query));
      for (const q of parsed.keys()) if (!queries.has(q)) parsed.delete(q);
    },
    onReading(listener) {
      // A fresh wrapper per subscription, so subscribing one function twice needs two unsubscribes.
      const entry = (r: KpiReading) => listener(r);
      listeners.add(entry);
      return () => {
        listeners.delete(entry);
      };
    },
    start() {
      if (running) return;
      running = true;
      schedule();
    },
    async stop() {
      running = false;
      clearTimeout(timer);
      timer = undefined;
      await loopRound;
      await queue;
    },
    stats: () => ({ rounds, lastRoundMs, failures }),
  };
}
