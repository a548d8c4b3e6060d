/** `GET /api/v1/kpis`, `/api/v1/kpis/:id` and `/api/v1/kpis/:id/history`: current readings and charts. Paths are relative to where the app mounts them. */
import { Hono } from 'hono';
import { describeRoute } from 'hono-openapi';
import type { KpiHistory, KpiReading } from '../../../sdk/types.js';
import { errorMessage } from '../../../shared/error-message.js';
import type { HistoryColumns, HistoryRange, KpiHistoryStore } from '../../history/index.js';
import { judgeStaleness } from '../../kpi/reading-staleness.js';
import { kpiDocs } from '../openapi/route-docs.js';
import { parseHistoryParams } from '../params/history-params.js';
import { problem } from '../problem.js';

/** The part of the KPI evaluator the routes read. */
export interface KpiReadings {
  readings(): readonly KpiReading[];
  reading(id: string): KpiReading | undefined;
}

/** Options of {@link createKpiRoutes}. */
export interface KpiRoutesOptions {
  readonly evaluator: KpiReadings;
  readonly history: Pick<KpiHistoryStore, 'query' | 'groups'>;
  /** The KPI ids of the running policy (a KPI is known before its first evaluation). */
  readonly kpiIds: () => readonly string[];
  /** The evaluation interval, the finest step a chart gets by default, ms. */
  readonly evaluationIntervalMs: () => number;
  /**
   * Answers history from elsewhere (the source's `query_range`, with `history: { from: source }`)
   * when it returns columns; `undefined` reads the database.
   */
  readonly fromSource?: (id: string, range: HistoryRange) => Promise<HistoryColumns> | undefined;
  /** Clock for a `to` left out. Default `Date.now`. */
  readonly now?: () => number;
}

/**
 * The KPI read routes. History buckets average values and keep the worst status, so a short
 * breach stays visible on a long chart.
 *
 * @example
 * ```ts
 * const app = new Hono().route('/api/v1/kpis', createKpiRoutes({ evaluator, history, kpiIds, evaluationIntervalMs }));
 * await app.request('/api/v1/kpis/efile-error-rate/history?from=2026-11-24T00:00:00Z&step=5m');
 * ```
 */
export function createKpiRoutes(options: KpiRoutesOptions) {
  const { evaluator, history, kpiIds } = options;
  const now = options.now ?? Date.now;

  const unknownKpi = (id: string) => `no KPI with id ${JSON.stringify(id)}`;

  return new Hono()
    .get('/', describeRoute(kpiDocs.list), (c) =>
      c.json(evaluator.readings().map((r) => judgeStaleness(r, now()))),
    )
    .get('/:id', describeRoute(kpiDocs.one), (c) => {
      const id = c.req.param('id');
      const reading = evaluator.reading(id);
      if (!reading) {
        const detail = kpiIds().includes(id)
          ? `KPI ${JSON.stringify(id)} has not been evaluated yet`
          : unknownKpi(id);
        const status = kpiIds().includes(id) ? 503 : 404;
        return problem(c, { status, detail });
      }
      return c.json(judgeStaleness(reading, now()));
    })
    .get('/:id/history', describeRoute(kpiDocs.history), async (c) => {
      const id = c.req.param('id');
      // A KPI taken out of the policy keeps its past: its history can still be drawn.
      const known =
        kpiIds().includes(id) ||
        evaluator.reading(id) !== undefined ||
        history.groups(id).length > 0;
      if (!known) return problem(c, { status: 404, detail: unknownKpi(id) });
      const params = parseHistoryParams((name) => c.req.query(name), {
        now: now(),
        minStepMs: options.evaluationIntervalMs(),
      });
      const range = { from: params.from, to: params.to, stepMs: params.step, group: params.group };
      const remote = options.fromSource?.(id, range);
      let columns: HistoryColumns;
      try {
        columns = remote ? await remote : history.query(id, range);
      } catch (err) {
        if (!remote) throw err;
        return problem(c, { status: 503, detail: `history unavailable: ${errorMessage(err)}` });
      }
      const { t, v, status, version } = columns;
      const body: KpiHistory = {
        id,
        ...(params.group !== '' && { group: params.group }),
        from: params.from,
        to: params.to,
        step: params.step,
        t,
        v,
        status,
        version,
      };
      return c.json(body);
    });
}

/** The KPI routes' type, for typed clients. */
export type KpiRoutes = ReturnType<typeof createKpiRoutes>;
