/** `/healthz` (the process answers) and `/readyz` (policy loaded, database open, first evaluation done). */
import { Hono } from 'hono';
import { describeRoute } from 'hono-openapi';
import { serverDocs } from '../openapi/route-docs.js';

/** One readiness check: true when ready. */
export type ReadinessCheck = () => boolean;

/** Options of {@link createHealthRoutes}. */
export interface HealthRoutesOptions {
  /** Named checks, all of which must pass for `/readyz` to answer 200. */
  readonly checks: Readonly<Record<string, ReadinessCheck>>;
}

/**
 * Liveness and readiness. `/healthz` never looks at anything but the process, so an orchestrator
 * does not restart a server that is only waiting for its first evaluation; `/readyz` answers 503
 * naming each failed check until the server can give real answers.
 *
 * @example
 * ```ts
 * createHealthRoutes({ checks: { database: () => db.open, evaluated: () => evaluator.stats().rounds > 0 } });
 * ```
 */
export function createHealthRoutes(options: HealthRoutesOptions) {
  return new Hono()
    .get('/healthz', describeRoute(serverDocs.liveness), (c) => c.json({ status: 'ok' as const }))
    .get('/readyz', describeRoute(serverDocs.readiness), (c) => {
      const checks: Record<string, 'ok' | 'failing'> = {};
      let ready = true;
      for (const [name, check] of Object.entries(options.checks)) {
        let ok = false;
        try {
          ok = check();
        } catch {
          // A check that throws is a check that fails; readiness must never answer 500.
        }
        checks[name] = ok ? 'ok' : 'failing';
        ready &&= ok;
      }
      c.header('cache-control', 'no-store');
      return c.json(
        { status: ready ? ('ready' as const) : ('not ready' as const), checks },
        ready ? 200 : 503,
      );
    });
}

/** The health routes' type. */
export type HealthRoutes = ReturnType<typeof createHealthRoutes>;
