/** The description of the error budget's burn-down route. */
import { kpiBudgetHistorySchema } from '../schemas/kpi-budget-history.js';
import { kpiIdParams } from './request-params.js';
import { jsonResponse, parametersOf, problemResponse, read, type Spec } from './responses.js';

/** An error budget over its window. */
export const budgetDocs: Readonly<Record<'burnDown', Spec>> = {
  burnDown: read({
    tags: ['kpis'],
    summary: "A KPI's error budget, burned down over its window, for a chart",
    description:
      'Counted from the same history as the reading’s `budget`; the last point is its `remaining`.',
    parameters: parametersOf('path', kpiIdParams),
    responses: {
      200: jsonResponse(
        'One entry per bucket with a reading, in t and remaining',
        kpiBudgetHistorySchema,
      ),
      404: problemResponse('No KPI has this id, or it has no objective'),
    },
  }),
};
