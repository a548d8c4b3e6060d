/** Keeps readers without a token from sending PromQL of their own to an upstream Prometheus, unless the policy allows it. */
import type { MiddlewareHandler } from 'hono';
import type { Policy } from '../policy/types.js';
import { type AuthVariables, requireScope, unauthorized } from './auth.js';

/**
 * Guards Prometheus's query routes on a server whose source is a remote Prometheus. Those routes
 * pass the reader's PromQL on with the server's own credentials (`Authorization`,
 * `X-Scope-OrgID`), so any reader could ask the upstream anything the server may. With
 * `source.prometheus.public_queries: kpis-only` (the default) and public reading, they need a
 * bearer token with `read`: anonymous readers then cause only the KPIs' own queries (history
 * ranges, target health). With `any`, or with `auth.read: token`, reading rules as everywhere.
 *
 * @example
 * ```ts
 * v1.use('/query', upstreamQueryGuard(() => state.get().policy));
 * ```
 */
export const upstreamQueryGuard = (
  policy: () => Policy,
): MiddlewareHandler<{ Variables: AuthVariables }> =>
  async function upstreamQueryGuard(c, next) {
    const { source, auth } = policy();
    if (source.kind !== 'prometheus' || source.publicQueries === 'any' || auth.read === 'token') {
      return next();
    }
    if (!c.req.header('authorization')) {
      throw unauthorized(
        "this query would go to the upstream Prometheus with this server's credentials; " +
          'with source.prometheus.public_queries: kpis-only it needs a bearer token with the "read" scope',
      );
    }
    return requireScope('read', () => ({ ...auth, read: 'token' }))(c, next);
  };
