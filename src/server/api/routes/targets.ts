/** `GET /api/v1/targets`: health of every target the KPIs read, as the SDK sees it. */
import { Hono } from 'hono';
import { describeRoute } from 'hono-openapi';
import type { TargetHealth } from '../../../sdk/types.js';
import { errorMessage } from '../../../shared/error-message.js';
import { redactUrlSecrets } from '../../../shared/url-secrets.js';
import { targetDocs } from '../openapi/route-docs.js';
import { problem } from '../problem.js';

export { toTargetHealth } from '../../scrape/target-health.js';

/** Options of {@link createTargetRoutes}. */
export interface TargetRoutesOptions {
  /**
   * Health of every target in policy order: the scraper's (`toTargetHealth` of each), or what a
   * remote Prometheus reports. A failure answers 503 with the reason.
   */
  readonly health: () => readonly TargetHealth[] | Promise<readonly TargetHealth[]>;
}

/**
 * The targets route.
 *
 * @example
 * ```ts
 * const app = new Hono().route('/api/v1/targets', createTargetRoutes({ health: () => scraper.health().map(toTargetHealth) }));
 * ```
 */
export function createTargetRoutes(options: TargetRoutesOptions) {
  return new Hono().get('/', describeRoute(targetDocs.list), async (c) => {
    let health: readonly TargetHealth[];
    try {
      health = await options.health();
    } catch (err) {
      // The source behind the targets is down: say so, rather than claim there are none.
      return problem(c, { status: 503, detail: `target health unavailable: ${errorMessage(err)}` });
    }
    // A remote Prometheus reports its own scrape URLs and errors: hide their secrets too.
    return c.json(
      health.map((t) => ({
        ...t,
        url: redactUrlSecrets(t.url),
        lastError: t.lastError === null ? null : redactUrlSecrets(t.lastError),
      })),
    );
  });
}

/** The targets route's type, for typed clients. */
export type TargetRoutes = ReturnType<typeof createTargetRoutes>;
