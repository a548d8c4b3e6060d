/** Error budget of a KPI with an objective, from the KPI's own recorded history. */
import type { KpiBudget, KpiBudgetHistory, KpiStatus } from '../../sdk/types.js';
import type { KpiHistoryStore } from '../history/kpi-history-store.js';
import type { KpiDefinition } from '../policy/types.js';

/** What of a KPI the budget reads. */
export type BudgetSpec = Pick<
  KpiDefinition,
  'id' | 'unit' | 'direction' | 'objective' | 'budgetWindowMs'
>;

/** Buckets per window: fine enough that edges and coarse buckets cost under 0.1 %. */
const BUCKETS = 2_000;

interface Bucket {
  /** Bucket start, ms since the epoch. */
  readonly t: number;
  readonly v: number | null;
  readonly status: KpiStatus;
}

interface Cache {
  readonly stepMs: number;
  /** Closed buckets by index (bucket start / step); they no longer change. */
  readonly closed: Map<number, Bucket>;
}

const UNITS: readonly [string, number][] = [
  ['d', 86_400_000],
  ['h', 3_600_000],
  ['m', 60_000],
  ['s', 1_000],
  ['ms', 1],
];

/**
 * A window as a Prometheus duration in days and smaller, the way SLO windows are spoken of
 * (`30d`, not the `4w2d` a largest-unit-first formatter would give).
 *
 * @example
 * ```ts
 * formatWindow(30 * 86_400_000); // '30d'
 * ```
 */
export function formatWindow(ms: number): string {
  let rest = Math.round(ms);
  let out = '';
  for (const [unit, size] of UNITS) {
    if (rest >= size) {
      out += `${Math.floor(rest / size)}${unit}`;
      rest %= size;
    }
  }
  return out || '0s';
}

/** Budget numbers are rounded so a window sliding by one round does not count as a change. */
const round = (x: number) => Math.round(x * 10_000) / 10_000;

/**
 * Computes error budgets from {@link KpiHistoryStore}, so the budget is counted over exactly
 * what the lights showed.
 *
 * Method: the window `[now − budgetWindowMs, now]` is cut into about 2 000 buckets; each bucket
 * holds the mean of the KPI's recorded readings in it, and buckets without a reading are left
 * out (not assumed good, not assumed bad). The bad fraction is then:
 *
 * - for a `percent` or `ratio` KPI, the mean of those bucket means — a time-weighted average of
 *   the KPI: `1 − mean` when the value is a good ratio (`lower-is-worse`, e.g. "filings under
 *   2 s"), `mean` when it is a bad ratio (`higher-is-worse`, e.g. an error rate);
 * - for any other unit (a latency, a count), the fraction of buckets whose worst status was
 *   `critical` — time spent in breach.
 *
 * `burned = bad / (1 − objective)` and `remaining = 1 − burned` (below 0 when overspent).
 * The current reading counts once it is recorded, so record the round first. Closed buckets are
 * cached, so each round reads only the newest bucket from the database.
 *
 * Known limit: averaging a ratio over time weighs a quiet hour like a busy one; an
 * event-weighted budget needs the good and total counters, which a KPI does not name.
 *
 * @example
 * ```ts
 * const budgets = new ErrorBudgets(history);
 * history.record(readings);
 * const b = budgets.budget(kpi, Date.now()); // { objective: 0.99, window: '30d', remaining: 0.62, burned: 0.38 }
 * ```
 */
export class ErrorBudgets {
  readonly #history: KpiHistoryStore;
  readonly #cache = new Map<string, Cache>();

  constructor(history: KpiHistoryStore) {
    this.#history = history;
  }

  /** The KPI's budget at `nowMs`; `undefined` without an objective or without any reading in the window. */
  budget(kpi: BudgetSpec, nowMs: number): KpiBudget | undefined {
    const spent = this.#spent(kpi, nowMs);
    if (spent === undefined || spent.bad.length === 0) return undefined;
    const burned = spent.bad.reduce((sum, b) => sum + b, 0) / spent.bad.length / spent.allowed;
    return {
      objective: spent.objective,
      window: formatWindow(kpi.budgetWindowMs),
      remaining: round(1 - burned),
      burned: round(burned),
    };
  }

  /**
   * The budget's burn-down over the window ending at `nowMs`: after each bucket with a reading,
   * the share of the window's budget left, counting what was spent from the window's start up to
   * that bucket. The last point is {@link budget}'s `remaining`; `undefined` without an objective.
   *
   * @example
   * ```ts
   * budgets.burnDown(kpi, Date.now()); // { id, objective, window, …, remaining: [1, 0.98, …, 0.62] }
   * ```
   */
  burnDown(kpi: BudgetSpec, nowMs: number): KpiBudgetHistory | undefined {
    const spent = this.#spent(kpi, nowMs);
    if (spent === undefined) return undefined;
    // Spending is shared out over every bucket seen, as `budget` averages over them.
    const whole = spent.bad.length * spent.allowed;
    let sum = 0;
    return {
      id: kpi.id,
      objective: spent.objective,
      window: formatWindow(kpi.budgetWindowMs),
      from: nowMs - kpi.budgetWindowMs,
      to: nowMs,
      step: spent.step,
      t: spent.t,
      remaining: spent.bad.map((b) => round(1 - (sum += b) / whole)),
    };
  }

  /**
   * The bad fraction of each bucket that counts (see the class comment), with its start time,
   * and the bad fraction the objective allows; `undefined` without a usable objective.
   */
  #spent(kpi: BudgetSpec, nowMs: number) {
    const { objective, budgetWindowMs: windowMs } = kpi;
    if (objective === undefined || !(objective > 0 && objective < 1) || !(windowMs > 0)) {
      return undefined;
    }
    const { step, buckets } = this.#buckets(kpi.id, windowMs, nowMs);
    const ratio = kpi.unit === 'percent' || kpi.unit === 'ratio';
    const goodRatio = ratio && kpi.direction === 'lower-is-worse';
    const t: number[] = [];
    const bad: number[] = [];
    for (const b of buckets) {
      if (ratio) {
        if (b.v === null) continue;
        const v = Math.min(1, Math.max(0, b.v));
        bad.push(goodRatio ? 1 - v : v);
      } else {
        if (b.status === 'unknown' && b.v === null) continue;
        bad.push(b.status === 'critical' ? 1 : 0);
      }
      t.push(b.t);
    }
    return { objective, allowed: 1 - objective, step, t, bad };
  }

  /** Forgets cached buckets of KPIs not in `ids` (after a policy change). */
  retain(ids: ReadonlySet<string>): void {
    for (const id of this.#cache.keys()) if (!ids.has(id)) this.#cache.delete(id);
  }

  #buckets(id: string, windowMs: number, nowMs: number): { step: number; buckets: Bucket[] } {
    const stepMs = Math.max(1_000, Math.ceil(windowMs / BUCKETS / 1_000) * 1_000);
    let cache = this.#cache.get(id);
    if (!cache || cache.stepMs !== stepMs) {
      cache = { stepMs, closed: new Map() };
      this.#cache.set(id, cache);
    }
    const first = Math.floor((nowMs - windowMs) / stepMs);
    const last = Math.floor(nowMs / stepMs);
    for (const i of cache.closed.keys()) if (i < first || i >= last) cache.closed.delete(i);
    // Read from the first bucket not cached yet; buckets before `last` are closed and kept.
    let from = first;
    while (from < last && cache.closed.has(from)) from++;
    const cols = this.#history.query(id, { from: from * stepMs, to: nowMs, stepMs });
    for (let k = 0; k < cols.t.length; k++) {
      const i = cols.t[k] / stepMs;
      if (i < last) cache.closed.set(i, { t: cols.t[k], v: cols.v[k], status: cols.status[k] });
    }
    const out: Bucket[] = [];
    for (let i = first; i < last; i++) {
      const b = cache.closed.get(i);
      if (b) out.push(b);
    }
    const open = cols.t.length > 0 ? cols.t.length - 1 : -1;
    if (open >= 0 && cols.t[open] / stepMs === last) {
      out.push({ t: cols.t[open], v: cols.v[open], status: cols.status[open] });
    }
    return { step: stepMs, buckets: out };
  }
}
