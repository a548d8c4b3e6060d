/** `POST /-/reload` (a `write` token): read the policy file again, as SIGHUP does. */
import { Hono } from 'hono';
import { describeRoute } from 'hono-openapi';
import type { ReloadOutcome } from '../../policy/policy-governance.js';
import { type AccessPolicy, type AuthVariables, requireScope } from '../auth.js';
import { reloadDoc } from '../openapi/policy-docs.js';
import { authorOf, changeResponse, reasonOf } from './policy-outcome.js';

/** Options of {@link createReloadRoutes}. */
export interface ReloadRoutesOptions {
  readonly reload: (request: {
    readonly author: string;
    readonly reason: string;
  }) => Promise<ReloadOutcome>;
  readonly access: () => AccessPolicy;
}

/**
 * The reload route, at the root as Prometheus has it. The version it makes is authored by the
 * token that asked, with the reason it gave (`X-Policy-Reason`). Under the two-person rule a
 * changed file makes a proposal instead, answered `202` with the proposal: another token
 * approves it like any other.
 *
 * @example
 * ```ts
 * app.route('/', createReloadRoutes({ reload: (request) => server.reload(request), access }));
 * ```
 */
export function createReloadRoutes(options: ReloadRoutesOptions) {
  return new Hono<{ Variables: AuthVariables }>().post(
    '/-/reload',
    describeRoute(reloadDoc),
    requireScope('write', options.access),
    async (c) => {
      const outcome = await options.reload({
        author: authorOf(c),
        reason: reasonOf(c) || 'reloaded on POST /-/reload',
      });
      if (outcome.ok && 'proposal' in outcome) return c.json(outcome.proposal, 202);
      return changeResponse(c, outcome);
    },
  );
}
