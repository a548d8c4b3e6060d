/** Passes a request under the prefix on to the Prometheus source, with the source's own headers, bounded. */
import type { Context } from 'hono';
import { errorMessage } from '../../../shared/error-message.js';
import { BodyTooLargeError, readBoundedText } from '../../http/bounded-body.js';
import { CrossOriginRedirectError, createSameOriginFetch } from '../../http/same-origin-fetch.js';
import type { PrometheusSourceSetting } from '../../policy/types.js';
import { DEFAULT_MAX_RESULT_BYTES } from '../../promql/result-bounds.js';
import { ApiError } from './api-reply.js';

/** Options of {@link createSourceProxy}. */
export interface SourceProxyOptions {
  readonly source: PrometheusSourceSetting;
  /**
   * Largest answer passed on, bytes: the server's `--query.max-result-bytes`, which bounds every
   * answer a Prometheus source gives. Default 32 MiB. The answer is held whole before it is
   * passed on, so this is what one request can make the server hold.
   */
  readonly maxBodyBytes?: number;
  /** The fetch underneath the same-origin rule. Default the global one. */
  readonly fetch?: typeof fetch;
}

/** Request headers passed on: what the API reads. Never `authorization`: that is our token. */
const PASSED_REQUEST = ['accept', 'content-type', 'user-agent'];
/** Answer headers passed back. */
const PASSED_ANSWER = ['content-type', 'cache-control', 'warning'];

/** Where the source is, for messages: never its path's secrets or a password in its URL. */
function shownSource(url: string): string {
  try {
    return new URL(url).origin;
  } catch {
    return 'the source';
  }
}

/**
 * A proxy to the source's HTTP API. `forward(c, path)` sends the request's method (GET or
 * POST), query string and form body to `<source url><path>` with the source's configured
 * headers (an `X-Scope-OrgID`, its bearer token) and none of the caller's credentials; it
 * answers the source's status and body as they are. As every outbound call that carries a
 * secret, it follows a redirect only within the source's origin; an answer is read under
 * `maxBodyBytes`. A source that is down, slow (`timeout`), redirects elsewhere or answers too
 * much gets a Prometheus-shaped error that names it by origin only.
 *
 * @example
 * ```ts
 * const proxy = createSourceProxy({ source: policy.source });
 * app.get('/api/v1/series', (c) => proxy.forward(c, '/api/v1/series'));
 * ```
 */
export function createSourceProxy(options: SourceProxyOptions) {
  const { source } = options;
  const max = options.maxBodyBytes ?? DEFAULT_MAX_RESULT_BYTES;
  const fetchImpl = createSameOriginFetch({ fetch: options.fetch });
  const base = source.url.replace(/\/+$/, '');
  const where = `the prometheus source at ${shownSource(source.url)}`;
  return {
    async forward(c: Context, path: string): Promise<Response> {
      const method = c.req.method;
      if (method !== 'GET' && method !== 'POST') {
        throw new ApiError('method_not_allowed', `${method} is not passed on to the source`);
      }
      const search = new URL(c.req.url).search;
      const headers = new Headers();
      for (const name of PASSED_REQUEST) {
        const value = c.req.header(name);
        if (value) headers.set(name, value);
      }
      for (const [name, value] of Object.entries(source.headers)) headers.set(name, value);
      let res: Response;
      let body: string;
      try {
        res = await fetchImpl(`${base}${path}${search}`, {
          method,
          headers,
          ...(method === 'POST' && { body: await c.req.arrayBuffer() }),
          signal: AbortSignal.any([c.req.raw.signal, AbortSignal.timeout(source.timeoutMs)]),
        });
        body = await readBoundedText(res, max, `${where}'s answer from ${path}`);
      } catch (err) {
        throw proxyError(err, where, source.timeoutMs);
      }
      const answer = new Headers();
      for (const name of PASSED_ANSWER) {
        const value = res.headers.get(name);
        if (value) answer.set(name, value);
      }
      return new Response(body, { status: res.status, headers: answer });
    },
  };
}

/** Why a pass-through failed, in Prometheus's envelope, naming the source by origin only. */
function proxyError(err: unknown, where: string, timeoutMs: number): ApiError {
  if (err instanceof BodyTooLargeError) {
    // As the query API answers a source's answer past the limit: 422.
    return new ApiError('execution', `${err.message}; narrow the request`, { cause: err });
  }
  if (err instanceof CrossOriginRedirectError) {
    return new ApiError('unavailable', `${where}: ${err.message}`, { cause: err });
  }
  if (err instanceof Error && err.name === 'TimeoutError') {
    return new ApiError('timeout', `${where} did not answer within ${timeoutMs} ms`, {
      cause: err,
    });
  }
  const cause = err instanceof Error && err.cause ? `: ${errorMessage(err.cause)}` : '';
  return new ApiError('unavailable', `${where} is unreachable: ${errorMessage(err)}${cause}`, {
    cause: err,
  });
}

/** The proxy's type. */
export type SourceProxy = ReturnType<typeof createSourceProxy>;
