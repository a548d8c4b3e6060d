/** `GET/PUT /api/v1/policy`, `/api/v1/policy/versions` and the governance routes: read the policy, change it with a token. */
import { Hono } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { describeRoute } from 'hono-openapi';
import type { PolicyVersionInfo } from '../../../sdk/types.js';
import type { PolicyVersionStore } from '../../policy/index.js';
import { etagOf, type PolicyGovernance } from '../../policy/policy-governance.js';
import type { PolicyProposalStore } from '../../policy/policy-proposals.js';
import { redactPolicy } from '../../policy/redact-policy.js';
import type { Policy } from '../../policy/types.js';
import { type AccessPolicy, type AuthVariables, requireScope } from '../auth.js';
import { policyDocs } from '../openapi/policy-docs.js';
import { problem } from '../problem.js';
import { createPolicyGovernanceRoutes } from './policy-governance-routes.js';
import { authorOf, changeResponse, reasonOf } from './policy-outcome.js';

/** The policy the server runs now. */
export interface CurrentPolicy {
  readonly text: string;
  readonly policy: Policy;
  readonly version: PolicyVersionInfo;
}

/** Options of {@link createPolicyRoutes}. */
export interface PolicyRoutesOptions {
  readonly current: () => CurrentPolicy;
  readonly versions: Pick<PolicyVersionStore, 'list' | 'get' | 'inForce' | 'audit'>;
  readonly proposals: Pick<PolicyProposalStore, 'list' | 'get'>;
  /** The gate every change passes (reason, If-Match, two-person rule, version, audit). */
  readonly governance: PolicyGovernance;
  /** Token settings, read on every request so a reload takes effect at once. */
  readonly access: () => AccessPolicy;
  /** Largest policy body accepted, bytes. Default 1 MiB. */
  readonly maxBytes?: number;
  /** The clock of `in-force` without `at`. Default `Date.now`. */
  readonly now?: () => number;
}

export { REASON_HEADER } from './policy-outcome.js';

/**
 * The policy routes. Reading answers the text with its secrets hidden (tokens, SMTP passwords,
 * webhook URLs and headers) as JSON, or as YAML when asked with `Accept: application/yaml`,
 * with the version's ETag. `PUT` takes YAML text, needs a `write` token, a reason and
 * `If-Match` with the ETag it read, and answers the new version or a problem: 400 listing
 * every issue with its line, column and field, 409 when another change came first, 428 without
 * `If-Match`. A refused text changes nothing, and is audited.
 *
 * @example
 * ```ts
 * const app = new Hono().route('/api/v1/policy', createPolicyRoutes(options));
 * const read = await app.request('/api/v1/policy');
 * await app.request('/api/v1/policy', {
 *   method: 'PUT',
 *   headers: {
 *     authorization: `Bearer ${token}`,
 *     'if-match': read.headers.get('etag') ?? '',
 *     'x-policy-reason': 'raise threshold',
 *   },
 *   body: yamlText,
 * });
 * ```
 */
export function createPolicyRoutes(options: PolicyRoutesOptions) {
  const { current, versions, proposals, governance, access } = options;

  return new Hono<{ Variables: AuthVariables }>()
    .get('/', describeRoute(policyDocs.read), (c) => {
      const { text, version } = current();
      const shown = redactPolicy(text);
      c.header('x-policy-version', String(version.version));
      c.header('etag', etagOf(version));
      if (/\b(application|text)\/(x-)?yaml\b/.test(c.req.header('accept') ?? '')) {
        return c.body(shown, 200, { 'content-type': 'application/yaml; charset=utf-8' });
      }
      return c.json({ ...version, text: shown });
    })
    .get('/versions', describeRoute(policyDocs.versions), (c) => c.json(versions.list()))
    .put(
      '/',
      describeRoute(policyDocs.change),
      requireScope('write', access),
      bodyLimit({
        maxSize: options.maxBytes ?? 1024 * 1024,
        onError: (c) => problem(c, { status: 413, detail: 'the policy is larger than allowed' }),
      }),
      async (c) => {
        const outcome = await governance.change(await c.req.text(), {
          author: authorOf(c),
          reason: reasonOf(c),
          ifMatch: c.req.header('if-match'),
        });
        return changeResponse(c, outcome);
      },
    )
    .route(
      '/',
      createPolicyGovernanceRoutes({
        governance,
        versions,
        proposals,
        current,
        access,
        now: options.now,
      }),
    );
}

/** The policy routes' type, for typed clients. */
export type PolicyRoutes = ReturnType<typeof createPolicyRoutes>;
