/** Turns a governed policy change's outcome into an HTTP answer: the version, or a problem body. */
import type { Context } from 'hono';
import {
  type ChangeOutcome,
  etagOf,
  type PolicyRefusal,
  type RefusalKind,
} from '../../policy/policy-refusal.js';
import type { AuthVariables } from '../auth.js';
import { problem } from '../problem.js';

/** Header (or `?reason=` query parameter) that says why a change is made; kept in the version. */
export const REASON_HEADER = 'x-policy-reason';

/** The reason a request gives, header first; at most 500 characters. */
export function reasonOf(c: Context): string {
  return (c.req.header(REASON_HEADER) ?? c.req.query('reason') ?? '').slice(0, 500);
}

/** Who asks: the token's name (the guard put it there). */
export function authorOf(c: Context<{ Variables: AuthVariables }>): string {
  return c.get('tokenName') ?? 'unknown';
}

/** The HTTP status of each kind of refusal. */
const REFUSAL_STATUS = {
  invalid: 400,
  'reason-required': 400,
  'precondition-required': 428,
  conflict: 409,
  'two-person': 403,
  'self-approval': 403,
  'not-found': 404,
} as const satisfies Record<RefusalKind, number>;

/** What to send or call, in this API's words, for the refusals that have an HTTP remedy. */
const HTTP_REMEDY: Partial<Record<RefusalKind, string>> = {
  'reason-required': `send the ${REASON_HEADER} header or ?reason=`,
  'two-person': 'POST /api/v1/policy/proposals, then POST …/proposals/:id/approve',
};

/** A refusal as a problem body naming the version in force (and its ETag). */
export function refusalProblem(c: Context, refusal: PolicyRefusal): Response {
  c.header('etag', etagOf(refusal.current));
  const remedy = HTTP_REMEDY[refusal.kind];
  return problem(c, {
    status: REFUSAL_STATUS[refusal.kind],
    title: refusal.title,
    detail: remedy ? `${refusal.detail}: ${remedy}` : refusal.detail,
    ...(refusal.issues && { errors: refusal.issues }),
    extensions: { currentVersion: refusal.current.version, currentEtag: etagOf(refusal.current) },
  });
}

/**
 * The answer to a change: its version with the new ETag, or the refusal.
 *
 * @example
 * ```ts
 * return changeResponse(c, await governance.change(text, request));
 * ```
 */
export function changeResponse(c: Context, outcome: ChangeOutcome): Response {
  if (!outcome.ok) return refusalProblem(c, outcome);
  c.header('etag', etagOf(outcome.version));
  c.header('x-policy-version', String(outcome.version.version));
  return c.json(outcome.version);
}
