/** Bearer-token access control: reads may be public, every change needs a token with `write`. */
import { createHash, timingSafeEqual } from 'node:crypto';
import type { MiddlewareHandler } from 'hono';
import { HTTPException } from 'hono/http-exception';
import type { ApiToken, AuthSettings, TokenScope } from '../policy/types.js';

/** What the guard leaves on the context for later handlers (audit records name the token). */
export interface AuthVariables {
  tokenName: string | undefined;
}

/**
 * Access settings: the policy's `auth` section itself, read again on every request so a policy
 * reload takes effect at once.
 */
export type AccessPolicy = AuthSettings;

const digest = (s: string): Buffer => createHash('sha256').update(s).digest();

/** Finds the token a request presents, comparing in constant time so timing leaks nothing. */
function findToken(presented: string, tokens: readonly ApiToken[]): ApiToken | undefined {
  const want = digest(presented);
  let found: ApiToken | undefined;
  for (const t of tokens) {
    if (timingSafeEqual(want, digest(t.token)) && !found) found = t;
  }
  return found;
}

/** A 401 with the `WWW-Authenticate` challenge every guard answers with. */
export function unauthorized(message: string): HTTPException {
  const res = new Response(null, {
    status: 401,
    headers: { 'www-authenticate': 'Bearer realm="kpi-lights"' },
  });
  return new HTTPException(401, { message, res });
}

/**
 * Requires `scope` for the routes it guards. `read` routes pass without a token when the
 * policy makes reading public.
 *
 * @example
 * ```ts
 * app.put('/api/v1/policy', requireScope('write', () => policy.access), putPolicy);
 * ```
 */
export const requireScope = (
  scope: TokenScope,
  access: () => AccessPolicy,
): MiddlewareHandler<{ Variables: AuthVariables }> =>
  async function requireScopeMiddleware(c, next) {
    const policy = access();
    if (scope === 'read' && policy.read === 'public') return next();
    const header = c.req.header('authorization');
    if (!header) throw unauthorized(`this request needs a bearer token with the "${scope}" scope`);
    const match = /^Bearer\s+(\S+)\s*$/i.exec(header);
    if (!match) throw unauthorized('the Authorization header must be "Bearer <token>"');
    const token = findToken(match[1], policy.tokens);
    if (!token) throw unauthorized('the bearer token is not known');
    const allowed =
      token.scopes.includes(scope) || (scope === 'read' && token.scopes.includes('write'));
    if (!allowed) {
      throw new HTTPException(403, {
        message: `token "${token.name}" lacks the "${scope}" scope`,
      });
    }
    c.set('tokenName', token.name);
    return next();
  };
