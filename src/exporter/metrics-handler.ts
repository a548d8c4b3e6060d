/** The Hono handler that serves a prom-client registry on `/metrics`, negotiating the format. */
import type { Handler } from 'hono';
import { HTTPException } from 'hono/http-exception';
import type { Registry, RegistryContentType } from 'prom-client';
import { formatFromAccept, type RenderedMetrics, renderMetrics } from './render-metrics.js';

/**
 * Returns a handler that answers with every metric of `registry` (of either content type): OpenMetrics when the
 * `Accept` header asks for `application/openmetrics-text`, Prometheus text 0.0.4 otherwise.
 * A collector that fails becomes a 500 `HTTPException` carrying the failure as `cause`.
 *
 * @example
 * ```ts
 * const registry = new Registry();
 * app.use(metricsMiddleware({ registry }));
 * app.get('/metrics', metricsHandler(registry));
 * ```
 */
export function metricsHandler(registry: Registry<RegistryContentType>): Handler {
  return async function metrics(c) {
    let rendered: RenderedMetrics;
    try {
      rendered = await renderMetrics(registry, formatFromAccept(c.req.header('accept')));
    } catch (cause) {
      throw new HTTPException(500, { message: 'collecting metrics failed', cause });
    }
    // A scrape must see current values, never a cached copy.
    c.header('Cache-Control', 'no-store');
    return c.body(rendered.body, 200, { 'Content-Type': rendered.contentType });
  };
}
