/** `GET /api/v1/kpis/:id/budget`: a KPI's error budget burned down over its window, for a chart. Paths are relative to where the app mounts them. */
import { Hono } from 'hono';
import { describeRoute } from 'hono-openapi';
import type { BudgetSpec, ErrorBudgets } from '../../kpi/error-budget.js';
import { budgetDocs } from '../openapi/budget-docs.js';
import { problem } from '../problem.js';

/** Options of {@link createKpiBudgetRoutes}. */
export interface KpiBudgetRoutesOptions {
  /** The KPIs of the running policy. */
  readonly kpis: () => readonly BudgetSpec[];
  /** Counts the budget from the KPI history, as the readings' `budget` is counted. */
  readonly budgets: Pick<ErrorBudgets, 'burnDown' | 'retain'>;
  /** The window's end. Default `Date.now`. */
  readonly now?: () => number;
}

/**
 * The burn-down route. A KPI without an objective has no budget: 404, saying so.
 *
 * @example
 * ```ts
 * const budgets = new ErrorBudgets(history);
 * app.route('/api/v1/kpis', createKpiBudgetRoutes({ kpis: () => policy.kpis, budgets }));
 * await app.request('/api/v1/kpis/efile-fast-filings/budget');
 * ```
 */
export function createKpiBudgetRoutes(options: KpiBudgetRoutesOptions) {
  const now = options.now ?? Date.now;
  return new Hono().get('/:id/budget', describeRoute(budgetDocs.burnDown), (c) => {
    const id = c.req.param('id');
    const kpis = options.kpis();
    // The cache keeps closed buckets per KPI: let go of KPIs the policy no longer has.
    options.budgets.retain(new Set(kpis.map((k) => k.id)));
    const kpi = kpis.find((k) => k.id === id);
    if (kpi === undefined) {
      return problem(c, { status: 404, detail: `no KPI with id ${JSON.stringify(id)}` });
    }
    const burnDown = options.budgets.burnDown(kpi, now());
    if (burnDown === undefined) {
      const detail = `KPI ${JSON.stringify(id)} has no objective, so no error budget`;
      return problem(c, { status: 404, detail });
    }
    return c.json(burnDown);
  });
}

/** The budget route's type, for typed clients. */
export type KpiBudgetRoutes = ReturnType<typeof createKpiBudgetRoutes>;
