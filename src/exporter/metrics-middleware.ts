/** The Hono middleware that counts and times every request by method, route pattern and status. */
import type { Context, MiddlewareHandler } from 'hono';
import { HTTPException } from 'hono/http-exception';
import { routePath } from 'hono/route';
import type { RequestMetrics } from './request-metrics.js';

/**
 * Returns the middleware that records `http_requests_total` and
 * `http_request_duration_seconds` into `metrics`.
 *
 * The `route` label is the pattern of the last handler Hono dispatched (`/filings/:id`); a
 * middleware further down that answers by itself (an auth check) gives its own pattern
 * (`/admin/*`). Either way it is a registered pattern, so the label set stays bounded. When
 * nothing after this middleware ran, the request matched no route and gets `unmatchedRoute`.
 * A thrown error counts as a 500 — whether Hono's `onError` turned it into a response or it
 * propagates — unless the response is already a 5xx or the error is an `HTTPException`, whose
 * status was chosen on purpose.
 */
export function requestMetricsMiddleware(
  metrics: RequestMetrics,
  unmatchedRoute: string,
): MiddlewareHandler {
  return async function requestMetrics(c, next) {
    const start = performance.now();
    const ownIndex = c.req.routeIndex;
    try {
      await next();
    } catch (err) {
      metrics.record(c.req.method, routeOf(c, ownIndex, unmatchedRoute), 500, elapsed(start));
      throw err;
    }
    metrics.record(c.req.method, routeOf(c, ownIndex, unmatchedRoute), statusOf(c), elapsed(start));
  };
}

function elapsed(start: number): number {
  return (performance.now() - start) / 1000;
}

/** Hono leaves `routeIndex` on the last handler it dispatched; still ours means none matched. */
function routeOf(c: Context, ownIndex: number, unmatchedRoute: string): string {
  return c.req.routeIndex === ownIndex ? unmatchedRoute : routePath(c) || unmatchedRoute;
}

function statusOf(c: Context): number {
  const status = c.res.status;
  const error = c.error;
  if (error === undefined || status >= 500 || error instanceof HTTPException) return status;
  return 500;
}
