/** `GET /kpis/:id/budget`: the burn-down counted from real recorded history, and the 404s that say why. */
import { beforeEach, describe, expect, it } from 'vitest';
import { useTempDatabase } from '#test-support/temp-database.js';
import type { KpiBudgetHistory } from '../../../sdk/types.js';
import { KpiHistoryStore } from '../../history/kpi-history-store.js';
import { type BudgetSpec, ErrorBudgets } from '../../kpi/error-budget.js';
import { createKpiBudgetRoutes } from './kpi-budget.js';

const HOUR = 3_600_000;
const NOW = 1_700_000_000_000;

const fast: BudgetSpec = {
  id: 'fast-filings',
  unit: 'percent',
  direction: 'lower-is-worse',
  objective: 0.99,
  budgetWindowMs: 6 * HOUR,
};
const latency: BudgetSpec = { ...fast, id: 'latency', unit: 'seconds', objective: undefined };

const temp = useTempDatabase('kpi-budget-route-');
let history: KpiHistoryStore;
beforeEach(() => {
  history = new KpiHistoryStore(temp.db);
});

describe('GET /kpis/:id/budget', () => {
  it('burns the budget down over its window, ending where the reading’s budget stands', async () => {
    const rows = [];
    for (let t = NOW - 3 * HOUR, i = 0; t <= NOW; t += 60_000, i++) {
      rows.push({
        kpi: fast.id,
        group: '',
        t,
        value: i % 10 === 0 ? 0.9 : 1,
        status: 'ok' as const,
        policyVersion: 1,
      });
    }
    history.record(rows);
    const app = createKpiBudgetRoutes({
      kpis: () => [fast, latency],
      budgets: new ErrorBudgets(history),
      now: () => NOW,
    });
    const res = await app.request('/fast-filings/budget');
    expect(res.status).toBe(200);
    const body = (await res.json()) as KpiBudgetHistory;
    expect(body).toMatchObject({
      id: 'fast-filings',
      objective: 0.99,
      window: '6h',
      from: NOW - 6 * HOUR,
      to: NOW,
    });
    expect(body.t.length).toBe(body.remaining.length);
    expect(body.t[0]).toBeGreaterThanOrEqual(NOW - 3 * HOUR - body.step);
    expect(body.remaining.at(-1)).toBe(new ErrorBudgets(history).budget(fast, NOW)?.remaining);
  });

  it('answers 404 for a KPI without an objective, and for an unknown id', async () => {
    const app = createKpiBudgetRoutes({
      kpis: () => [fast, latency],
      budgets: new ErrorBudgets(history),
      now: () => NOW,
    });
    const none = await app.request('/latency/budget');
    expect(none.status).toBe(404);
    expect((await none.json()).detail).toBe('KPI "latency" has no objective, so no error budget');
    const unknown = await app.request('/nope/budget');
    expect(unknown.status).toBe(404);
    expect((await unknown.json()).detail).toBe('no KPI with id "nope"');
  });

  it('answers an empty burn-down before any reading', async () => {
    const app = createKpiBudgetRoutes({ kpis: () => [fast], budgets: new ErrorBudgets(history) });
    const body = (await (await app.request('/fast-filings/budget')).json()) as KpiBudgetHistory;
    expect(body.t).toEqual([]);
    expect(body.remaining).toEqual([]);
  });
});
