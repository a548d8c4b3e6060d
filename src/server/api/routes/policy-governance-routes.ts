/** Policy history and governance routes: versions with diffs, in force at a time, rollback, audit, proposals. */
import { Hono } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { describeRoute } from 'hono-openapi';
import type {
  PolicyProposalDetail,
  PolicyVersionDetail,
  PolicyVersionInfo,
} from '../../../sdk/types.js';
import type { PolicyGovernance } from '../../policy/policy-governance.js';
import type { PolicyProposalStore } from '../../policy/policy-proposals.js';
import { type PolicyVersionStore, publicDiff } from '../../policy/policy-versions.js';
import { redactPolicy } from '../../policy/redact-policy.js';
import { parseRfc3339 } from '../../time/rfc3339.js';
import { type AccessPolicy, type AuthVariables, requireScope } from '../auth.js';
import { governanceDocs } from '../openapi/policy-docs.js';
import { problem } from '../problem.js';
import { authorOf, changeResponse, reasonOf, refusalProblem } from './policy-outcome.js';

/** Options of {@link createPolicyGovernanceRoutes}. */
export interface PolicyGovernanceRoutesOptions {
  readonly governance: PolicyGovernance;
  readonly versions: Pick<PolicyVersionStore, 'get' | 'inForce' | 'audit'>;
  readonly proposals: Pick<PolicyProposalStore, 'list' | 'get'>;
  /** The text in force, to diff a proposal against. */
  readonly current: () => { readonly text: string; readonly version: PolicyVersionInfo };
  readonly access: () => AccessPolicy;
  /** The clock `in-force` reads without `at`. Default `Date.now`. */
  readonly now?: () => number;
}

/** A positive whole number from a path or query value, or undefined. */
function wholeNumber(text: string | undefined): number | undefined {
  if (text === undefined || !/^[1-9]\d{0,15}$/.test(text)) return undefined;
  return Number(text);
}

/** `version` (and `reason`) of a rollback, from a JSON body or the query. */
async function rollbackTarget(
  req: Request,
  query: (name: string) => string | undefined,
): Promise<{ version?: number; reason?: string }> {
  const fromQuery = wholeNumber(query('version'));
  if (fromQuery !== undefined || !(req.headers.get('content-type') ?? '').includes('json')) {
    return { version: fromQuery };
  }
  try {
    const body = (await req.json()) as { version?: unknown; reason?: unknown };
    return {
      version: typeof body.version === 'number' ? body.version : wholeNumber(String(body.version)),
      reason: typeof body.reason === 'string' ? body.reason.slice(0, 500) : undefined,
    };
  } catch {
    return {};
  }
}

/**
 * The governance routes, relative to `/api/v1/policy`. Reading versions follows the read
 * setting; rollback, proposals, approval and the audit log need `write`: the log holds refused
 * attempts, whose reasons and issue messages may quote what was never meant to be public.
 *
 * @example
 * ```ts
 * new Hono().route('/api/v1/policy', createPolicyGovernanceRoutes({ governance, versions, proposals, access }));
 * ```
 */
export function createPolicyGovernanceRoutes(options: PolicyGovernanceRoutesOptions) {
  const { governance, versions, proposals, current, access } = options;
  const write = requireScope('write', access);

  return new Hono<{ Variables: AuthVariables }>()
    .get('/versions/:n', describeRoute(governanceDocs.version), (c) => {
      const n = wholeNumber(c.req.param('n'));
      const version = n === undefined ? undefined : versions.get(n);
      if (!version)
        return problem(c, { status: 404, detail: `no policy version ${c.req.param('n')}` });
      // Readers see the redacted text; the stored diff was made of redacted text too.
      const body: PolicyVersionDetail = { ...version, text: redactPolicy(version.text) };
      return c.json(body);
    })
    .get('/in-force', describeRoute(governanceDocs.inForce), (c) => {
      const at = c.req.query('at');
      const ms = at === undefined ? (options.now ?? Date.now)() : parseRfc3339(at);
      if (ms === undefined) {
        return problem(c, {
          status: 400,
          detail: `"at" must be an RFC 3339 time, got ${JSON.stringify(at)}`,
          extensions: { parameter: 'at' },
        });
      }
      const version = versions.inForce(ms);
      if (!version) {
        return problem(c, { status: 404, detail: `no policy version was in force at ${at}` });
      }
      return c.json(version);
    })
    .post('/rollback', describeRoute(governanceDocs.rollback), write, async (c) => {
      const target = await rollbackTarget(c.req.raw, (name) => c.req.query(name));
      const outcome = await governance.rollback(target.version ?? 0, {
        author: authorOf(c),
        reason: target.reason ?? reasonOf(c),
        ifMatch: c.req.header('if-match'),
      });
      return changeResponse(c, outcome);
    })
    .get('/audit', describeRoute(governanceDocs.audit), write, (c) => {
      const limit = Math.min(wholeNumber(c.req.query('limit')) ?? 100, 1000);
      return c.json(versions.audit(limit, wholeNumber(c.req.query('before'))));
    })
    .get('/proposals', describeRoute(governanceDocs.proposals), write, (c) =>
      c.json(proposals.list()),
    )
    .get('/proposals/:id', describeRoute(governanceDocs.proposal), write, (c) => {
      const id = wholeNumber(c.req.param('id'));
      const proposal = id === undefined ? undefined : proposals.get(id);
      if (!proposal) return problem(c, { status: 404, detail: `no proposal ${c.req.param('id')}` });
      // What the approver reviews: the proposed text and its diff from the version in force,
      // both redacted like everything else served.
      const { text, ...info } = proposal;
      const shown = redactPolicy(text);
      const now = current();
      const diff = publicDiff(now.text, text, {
        from: `version ${now.version.version}`,
        to: `proposal ${proposal.id}`,
      });
      const body: PolicyProposalDetail = { ...info, text: shown, diff };
      return c.json(body);
    })
    .post(
      '/proposals',
      describeRoute(governanceDocs.propose),
      write,
      bodyLimit({
        maxSize: 1024 * 1024,
        onError: (c) => problem(c, { status: 413, detail: 'the policy is larger than allowed' }),
      }),
      async (c) => {
        const rollback = c.req.query('rollback');
        const request = {
          author: authorOf(c),
          reason: reasonOf(c),
          ifMatch: c.req.header('if-match'),
        };
        const outcome = await governance.propose(
          rollback !== undefined
            ? { rollbackOf: wholeNumber(rollback) ?? 0 }
            : { text: await c.req.text() },
          request,
        );
        if (!outcome.ok) return refusalProblem(c, outcome);
        return c.json(outcome.proposal, 201);
      },
    )
    .post('/proposals/:id/approve', describeRoute(governanceDocs.approve), write, async (c) => {
      const id = wholeNumber(c.req.param('id')) ?? 0;
      return changeResponse(c, await governance.approve(id, authorOf(c)));
    });
}
