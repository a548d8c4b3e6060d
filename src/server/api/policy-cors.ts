/** CORS for the whole app from the policy's origin allowlist. */
import type { MiddlewareHandler } from 'hono';
import { cors } from 'hono/cors';
import type { Policy } from '../policy/types.js';
import { isEmbedPath } from './routes/embed.js';
import { REASON_HEADER } from './routes/policy-outcome.js';

/**
 * The app's CORS middleware. The allowlist is read on every request, so a policy change to it
 * applies at once; the components script is allowed from anywhere.
 *
 * @example
 * ```ts
 * app.use('*', policyCors(() => state.get().policy));
 * ```
 */
export function policyCors(policy: () => Policy): MiddlewareHandler {
  return cors({
    origin: (origin, c) => {
      // The components script is public code; see `createEmbedRoutes`.
      if (isEmbedPath(c.req.path)) return '*';
      const allowed = policy().cors.origins;
      if (allowed.includes('*')) return '*';
      return allowed.includes(origin) ? origin : null;
    },
    allowMethods: ['GET', 'HEAD', 'PUT', 'POST', 'DELETE', 'OPTIONS'],
    allowHeaders: ['Authorization', 'Content-Type', 'Last-Event-ID', 'If-Match', REASON_HEADER],
    exposeHeaders: ['ETag', 'WWW-Authenticate', 'X-Policy-Version'],
    maxAge: 600,
  });
}
