/** `GET /embed.js`: the components bundle for the one script tag, cacheable, with CORS open to any page. */
import { Hono } from 'hono';
import { describeRoute } from 'hono-openapi';
import { serverDocs } from '../openapi/route-docs.js';
import { problem } from '../problem.js';
import { EmbedBundleMissing, type EmbedBundleSource, embedBundleSource } from './embed-bundle.js';

/** Where the bundle is served: the one path a page's script tag names. */
export const EMBED_PATH = '/embed.js';

/** Options of {@link createEmbedRoutes}; every field is optional. */
export interface EmbedRoutesOptions {
  /** Where the bundle comes from. Default: `dist/embed.js`, or a build of it from the sources. */
  readonly bundle?: EmbedBundleSource;
}

/**
 * Five minutes: a page that polls or many tabs hit the cache, and a new version (a new ETag)
 * still reaches every page within minutes; after that a revalidation costs a 304, not the bytes.
 */
const CACHE_CONTROL = 'public, max-age=300';

/** True when `If-None-Match` names `etag` (weak comparison, as RFC 9110 says for this header). */
function matches(ifNoneMatch: string | undefined, etag: string): boolean {
  if (ifNoneMatch === undefined) return false;
  if (ifNoneMatch.trim() === '*') return true;
  return ifNoneMatch.split(',').some((tag) => tag.trim().replace(/^W\//, '') === etag);
}

/**
 * Serves the bundle at `/embed.js` with a strong ETag, `Cache-Control: public, max-age=300`
 * and `Access-Control-Allow-Origin: *`. The script is public code with no data in it, the same
 * for everyone: any page may load it (a module script from another origin needs CORS), and the
 * policy's allowlist guards what matters, the API the script then calls. A page outside the
 * allowlist gets the script and a refused stream, which is where the refusal belongs.
 *
 * @example
 * ```ts
 * app.route('/', createEmbedRoutes());
 * // <script type="module" src="https://kpi.example.gov/embed.js"></script>
 * ```
 */
export function createEmbedRoutes(options: EmbedRoutesOptions = {}) {
  const bundle = options.bundle ?? embedBundleSource();
  return new Hono().get(EMBED_PATH, describeRoute(serverDocs.embed), async function serveEmbed(c) {
    let current: Awaited<ReturnType<EmbedBundleSource>>;
    try {
      current = await bundle();
    } catch (err) {
      if (!(err instanceof EmbedBundleMissing)) throw err;
      c.header('retry-after', '30');
      return problem(c, {
        status: 503,
        detail: `${err.message}: run \`npm run build\` to make dist/embed.js`,
      });
    }
    const headers = {
      etag: current.etag,
      'cache-control': CACHE_CONTROL,
      'access-control-allow-origin': '*',
      // Lets pages with `Cross-Origin-Embedder-Policy` load it too.
      'cross-origin-resource-policy': 'cross-origin',
      'x-content-type-options': 'nosniff',
    };
    if (matches(c.req.header('if-none-match'), current.etag)) {
      return c.body(null, 304, headers);
    }
    return c.body(current.code, 200, {
      ...headers,
      'content-type': 'text/javascript; charset=utf-8',
    });
  });
}

/** The embed routes' type. */
export type EmbedRoutes = ReturnType<typeof createEmbedRoutes>;
