/** `GET /embed.js` and its parts: the components bundle for the one script tag, compressed, cacheable, open to any page. */
import { type Context, Hono } from 'hono';
import { describeRoute } from 'hono-openapi';
import { embedDocs } from '../openapi/embed-docs.js';
import { serverDocs } from '../openapi/route-docs.js';
import { negotiateEncoding } from '../params/accept-encoding.js';
import { problem } from '../problem.js';
import {
  EMBED_FILE_PATH,
  type EmbedBundle,
  EmbedBundleMissing,
  type EmbedBundleSource,
  embedBundleSource,
} from './embed-bundle.js';
import { EMBED_CODINGS } from './embed-file.js';

/** Where the bundle is served: the one path a page's script tag names. */
export const EMBED_PATH = '/embed.js';

/** Where the bundle's later parts (the chart) are served: `/embed/<name>-<hash>.js`. */
export const EMBED_PARTS_PATH = '/embed/';

/** True for the paths of the bundle and its parts: public code, open to any origin. */
export function isEmbedPath(path: string): boolean {
  return path === EMBED_PATH || path.startsWith(EMBED_PARTS_PATH);
}

/** Options of {@link createEmbedRoutes}; every field is optional. */
export interface EmbedRoutesOptions {
  /** Where the bundle comes from. Default: `dist/embed.js` and `dist/embed/`, or a build of them from the sources. */
  readonly bundle?: EmbedBundleSource;
}

/**
 * Five minutes for the entry: a page that polls or many tabs hit the cache, and a new version
 * (a new ETag) still reaches every page within minutes; after that a revalidation costs a 304.
 */
const ENTRY_CACHE = 'public, max-age=300';
/** A part's name carries a hash of its content, so a name never stands for other bytes. */
const PART_CACHE = 'public, max-age=31536000, immutable';

/** True when `If-None-Match` names `etag` (weak comparison, as RFC 9110 says for this header). */
function matches(ifNoneMatch: string | undefined, etag: string): boolean {
  if (ifNoneMatch === undefined) return false;
  if (ifNoneMatch.trim() === '*') return true;
  return ifNoneMatch.split(',').some((tag) => tag.trim().replace(/^W\//, '') === etag);
}

/**
 * Answers one file of the bundle in the best coding the request accepts (`br`, `gzip`, or as
 * it is), with that coding's strong ETag, a 304 when `If-None-Match` names it, and
 * `Vary: Accept-Encoding` on every answer, so a cache keeps the codings apart.
 */
async function serveEmbedFile(
  c: Context,
  source: EmbedBundleSource,
  path: string,
  cacheControl: string,
): Promise<Response> {
  c.header('vary', 'Accept-Encoding');
  let bundle: EmbedBundle;
  try {
    bundle = await source();
  } catch (err) {
    if (!(err instanceof EmbedBundleMissing)) throw err;
    c.header('retry-after', '30');
    return problem(c, {
      status: 503,
      detail: `${err.message}: run \`npm run build\` to make dist/embed.js`,
    });
  }
  const file = EMBED_FILE_PATH.test(path) ? await bundle.file(path) : undefined;
  if (file === undefined) {
    return problem(c, { status: 404, detail: `the components bundle has no ${path}` });
  }
  const coding = negotiateEncoding(c.req.header('accept-encoding'), EMBED_CODINGS);
  if (coding === undefined) {
    return problem(c, {
      status: 406,
      title: 'Not Acceptable',
      detail: `Accept-Encoding rules out every coding this file has: ${EMBED_CODINGS.join(', ')}`,
    });
  }
  const variant = file[coding];
  const headers = {
    etag: variant.etag,
    'cache-control': cacheControl,
    'access-control-allow-origin': '*',
    // Lets pages with `Cross-Origin-Embedder-Policy` load it too.
    'cross-origin-resource-policy': 'cross-origin',
    'x-content-type-options': 'nosniff',
  };
  if (matches(c.req.header('if-none-match'), variant.etag)) {
    return c.body(null, 304, headers);
  }
  return c.body(variant.body, 200, {
    ...headers,
    'content-type': 'text/javascript; charset=utf-8',
    ...(coding !== 'identity' && { 'content-encoding': coding }),
  });
}

/**
 * Serves the bundle at `/embed.js` and its later parts at `/embed/<name>-<hash>.js` (the chart,
 * which the entry imports when a page shows one). Each answer is in the best coding the request
 * accepts, q-values honoured, with that coding's strong ETag and `Vary: Accept-Encoding`; the
 * entry is cached five minutes, the parts for good (their names change with their bytes). The
 * script is public code with no data in it, the same for everyone: any page may load it (a
 * module script from another origin needs CORS), and the policy's allowlist guards what
 * matters, the API the script then calls.
 *
 * @example
 * ```ts
 * app.route('/', createEmbedRoutes());
 * // <script type="module" src="https://kpi.example.gov/embed.js"></script>
 * ```
 */
export function createEmbedRoutes(options: EmbedRoutesOptions = {}) {
  const source = options.bundle ?? embedBundleSource();
  return new Hono()
    .get(EMBED_PATH, describeRoute(serverDocs.embed), function serveEmbed(c) {
      return serveEmbedFile(c, source, 'embed.js', ENTRY_CACHE);
    })
    .get(`${EMBED_PARTS_PATH}:file`, describeRoute(embedDocs.part), function serveEmbedPart(c) {
      return serveEmbedFile(c, source, `embed/${c.req.param('file')}`, PART_CACHE);
    });
}

/** The embed routes' type. */
export type EmbedRoutes = ReturnType<typeof createEmbedRoutes>;
