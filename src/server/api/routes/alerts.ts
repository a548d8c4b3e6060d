/** `GET /api/v1/alerts` and `/api/v1/alerts/:id`: the alerts pending and firing now. Paths are relative to where the app mounts them. */
import { Hono } from 'hono';
import { describeRoute } from 'hono-openapi';
import type { Alerting } from '../../alerts/index.js';
import { alertDocs } from '../openapi/alert-docs.js';
import { problem } from '../problem.js';

/** Options of {@link createAlertRoutes}. */
export interface AlertRoutesOptions {
  readonly alerting: Pick<Alerting, 'current'>;
}

/**
 * The alerts routes: pending and firing alerts, as the stream's snapshot has them, and one of
 * them by id (where an alert forwarded to Alertmanager links to, its `generatorURL`).
 *
 * @example
 * ```ts
 * const app = new Hono().route('/api/v1/alerts', createAlertRoutes({ alerting }));
 * ```
 */
export function createAlertRoutes(options: AlertRoutesOptions) {
  return new Hono()
    .get('/', describeRoute(alertDocs.alerts), (c) => c.json(options.alerting.current()))
    .get('/:id', describeRoute(alertDocs.alert), (c) => {
      const id = c.req.param('id');
      const alert = options.alerting.current().find((a) => a.id === id);
      if (!alert) {
        return problem(c, {
          status: 404,
          detail: `no alert ${JSON.stringify(id)} is pending or firing now`,
        });
      }
      return c.json(alert);
    });
}

/** The alerts route's type, for typed clients. */
export type AlertRoutes = ReturnType<typeof createAlertRoutes>;
