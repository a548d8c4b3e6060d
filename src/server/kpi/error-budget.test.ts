/** Error budget math on known series recorded in a real history store. */
import { beforeEach, describe, expect, it } from 'vitest';
import { useTempDatabase } from '#test-support/temp-database.js';
import type { KpiStatus } from '../../sdk/types.js';
import { KpiHistoryStore } from '../history/kpi-history-store.js';
import { type BudgetSpec, ErrorBudgets, formatWindow } from './error-budget.js';

const HOUR = 3_600_000;
const NOW = 1_700_000_000_000;
let history: KpiHistoryStore;

const temp = useTempDatabase('kpi-budget-');
beforeEach(() => {
  history = new KpiHistoryStore(temp.db);
});

const fast: BudgetSpec = {
  id: 'fast-filings',
  unit: 'percent',
  direction: 'lower-is-worse',
  objective: 0.99,
  budgetWindowMs: HOUR,
};

/** One reading every 15 s from `from` to `to` (exclusive), value and status from the index. */
function recordEvery15s(
  id: string,
  from: number,
  to: number,
  at: (i: number) => [number | null, KpiStatus],
) {
  const rows = [];
  for (let t = from, i = 0; t < to; t += 15_000, i++) {
    const [value, status] = at(i);
    rows.push({ kpi: id, group: '', t, value, status, policyVersion: 1 });
  }
  history.record(rows);
}

describe('ErrorBudgets', () => {
  it('spends half the budget when a good ratio averages halfway to the objective', () => {
    // Older than the window: must not count.
    recordEvery15s(fast.id, NOW - 3 * HOUR, NOW - 2 * HOUR, () => [0, 'critical']);
    // The last 160 readings (40 min, the current one included): three in four at 100 %, one at
    // 98 %, so the mean is 99.5 %, the bad fraction 0.5 % and half of the 1 % budget is spent.
    recordEvery15s(fast.id, NOW - 159 * 15_000, NOW + 1, (i) =>
      i % 4 === 3 ? [0.98, 'critical'] : [1, 'ok'],
    );
    expect(new ErrorBudgets(history).budget(fast, NOW)).toEqual({
      objective: 0.99,
      window: '1h',
      remaining: 0.5,
      burned: 0.5,
    });
  });

  it('reads a higher-is-worse ratio as the bad fraction itself, and goes below 0 when overspent', () => {
    const errors: BudgetSpec = { ...fast, id: 'errors', direction: 'higher-is-worse' };
    recordEvery15s('errors', NOW - HOUR + 15_000, NOW + 1, () => [0.002, 'ok']);
    expect(new ErrorBudgets(history).budget(errors, NOW)).toMatchObject({
      remaining: 0.8,
      burned: 0.2,
    });
    recordEvery15s('over', NOW - HOUR + 15_000, NOW + 1, () => [0.03, 'critical']);
    expect(new ErrorBudgets(history).budget({ ...errors, id: 'over' }, NOW)?.remaining).toBe(-2);
  });

  it('counts time in critical for a KPI that is not a ratio, skipping unknown time', () => {
    const latency: BudgetSpec = { ...fast, id: 'p99', unit: 'seconds', objective: 0.8 };
    // 20 readings: 2 critical, 2 unknown (no value), 16 ok → 2 / 18 of the seen time was bad.
    recordEvery15s('p99', NOW - 19 * 15_000, NOW + 1, (i) =>
      i < 2 ? [9, 'critical'] : i < 4 ? [null, 'unknown'] : [0.3, 'ok'],
    );
    const burned = 2 / 18 / 0.2;
    expect(new ErrorBudgets(history).budget(latency, NOW)?.burned).toBe(
      Math.round(burned * 10_000) / 10_000,
    );
  });

  it('names the window in days and smaller units', () => {
    expect(formatWindow(30 * 86_400_000)).toBe('30d');
    expect(formatWindow(7 * 86_400_000 + 90 * 60_000)).toBe('7d1h30m');
    expect(formatWindow(HOUR)).toBe('1h');
  });

  it('gives no budget without an objective or without readings', () => {
    const budgets = new ErrorBudgets(history);
    expect(budgets.budget({ ...fast, objective: undefined }, NOW)).toBeUndefined();
    expect(budgets.budget(fast, NOW)).toBeUndefined();
  });

  it('answers the same from its cache as from scratch while the window slides', () => {
    const cached = new ErrorBudgets(history);
    let t = NOW - 2 * HOUR;
    for (let round = 0; round < 600; round++, t += 15_000) {
      const bad = round % 7 === 0;
      history.record([
        {
          kpi: fast.id,
          group: '',
          t,
          value: bad ? 0.9 : 1,
          status: bad ? 'critical' : 'ok',
          policyVersion: 1,
        },
      ]);
      const got = cached.budget(fast, t);
      if (round % 50 === 0) expect(got).toEqual(new ErrorBudgets(history).budget(fast, t));
    }
  });

  it('burns down from the window start to the budget left now, spending as the readings were bad', () => {
    // 40 minutes good, then 20 minutes at 98 %: the first two thirds spend nothing.
    recordEvery15s(fast.id, NOW - HOUR + 15_000, NOW + 1, (i) =>
      i < 160 ? [1, 'ok'] : [0.98, 'critical'],
    );
    const budgets = new ErrorBudgets(history);
    const burn = budgets.burnDown(fast, NOW)!;
    expect(burn.from).toBe(NOW - HOUR);
    expect(burn.t.length).toBe(burn.remaining.length);
    expect(burn.t.every((t, i) => i === 0 || t > burn.t[i - 1])).toBe(true);
    expect(burn.t[0]).toBeGreaterThanOrEqual(NOW - HOUR - burn.step);
    expect(burn.remaining[0]).toBe(1);
    const turn = burn.t.findIndex((t) => t >= NOW - HOUR + 161 * 15_000);
    expect(burn.remaining[turn - 2]).toBe(1);
    expect(burn.remaining.every((r, i) => i === 0 || r <= burn.remaining[i - 1])).toBe(true);
    expect(burn.remaining.at(-1)).toBe(budgets.budget(fast, NOW)?.remaining);
    expect(burn.remaining.at(-1)).toBeCloseTo(1 - ((1 / 3) * 0.02) / 0.01, 2);
  });

  it('gives an empty burn-down without readings and none without an objective', () => {
    const budgets = new ErrorBudgets(history);
    expect(budgets.burnDown(fast, NOW)).toMatchObject({ t: [], remaining: [] });
    expect(budgets.burnDown({ ...fast, objective: undefined }, NOW)).toBeUndefined();
  });
});
