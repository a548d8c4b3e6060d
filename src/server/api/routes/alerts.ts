/** `GET /api/v1/alerts`: the alerts pending and firing now. Paths are relative to where the app mounts them. */
import { Hono } from 'hono';
import { describeRoute } from 'hono-openapi';
import type { Alerting } from '../../alerts/index.js';
import { alertDocs } from '../openapi/alert-docs.js';

/** Options of {@link createAlertRoutes}. */
export interface AlertRoutesOptions {
  readonly alerting: Pick<Alerting, 'current'>;
}

/**
 * The alerts route: pending and firing alerts, as the stream's snapshot has them.
 *
 * @example
 * ```ts
 * const app = new Hono().route('/api/v1/alerts', createAlertRoutes({ alerting }));
 * ```
 */
export function createAlertRoutes(options: AlertRoutesOptions) {
  return new Hono().get('/', describeRoute(alertDocs.alerts), (c) =>
    c.json(options.alerting.current()),
  );
}

/** The alerts route's type, for typed clients. */
export type AlertRoutes = ReturnType<typeof createAlertRoutes>;
