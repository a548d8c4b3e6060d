/** `POST /-/reload` (a `write` token): read the policy file again, as SIGHUP does. */
import { Hono } from 'hono';
import { describeRoute } from 'hono-openapi';
import type { ChangeOutcome } from '../../policy/policy-governance.js';
import { type AccessPolicy, type AuthVariables, requireScope } from '../auth.js';
import { reloadDoc } from '../openapi/policy-docs.js';
import { changeResponse, reasonOf } from './policy-outcome.js';

/** Options of {@link createReloadRoutes}. */
export interface ReloadRoutesOptions {
  readonly reload: (reason: string) => Promise<ChangeOutcome>;
  readonly access: () => AccessPolicy;
}

/**
 * The reload route, at the root as Prometheus has it. The version it makes is authored `file`
 * (the file is what changed); its reason names the token that asked, or the reason it gave.
 *
 * @example
 * ```ts
 * app.route('/', createReloadRoutes({ reload: (reason) => server.reload(reason), access }));
 * ```
 */
export function createReloadRoutes(options: ReloadRoutesOptions) {
  return new Hono<{ Variables: AuthVariables }>().post(
    '/-/reload',
    describeRoute(reloadDoc),
    requireScope('write', options.access),
    async (c) => {
      const reason = reasonOf(c) || `reload asked by token "${c.get('tokenName') ?? 'unknown'}"`;
      return changeResponse(c, await options.reload(reason));
    },
  );
}
