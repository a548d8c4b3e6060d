/** Passes a request under the prefix on to the Prometheus source, with the source's own headers, bounded. */
import type { Context } from 'hono';
import { errorMessage } from '../../../shared/error-message.js';
import type { PrometheusSourceSetting } from '../../policy/types.js';
import { formatBytes } from '../../scrape/scrape-error.js';
import { ApiError } from './api-reply.js';

/** Options of {@link createSourceProxy}. */
export interface SourceProxyOptions {
  readonly source: PrometheusSourceSetting;
  /** Largest answer passed on, bytes. Default {@link PROXY_MAX_BODY_BYTES}. */
  readonly maxBodyBytes?: number;
  /** The fetch to use. Default the global one. */
  readonly fetch?: typeof fetch;
}

/**
 * 64 MiB: a `query_range` of 11 000 points for a few hundred series, well past what a
 * dashboard panel draws; the answer is held whole before it is passed on, so this is what one
 * request can make the server hold.
 */
export const PROXY_MAX_BODY_BYTES = 64 * 1024 * 1024;

/** Request headers passed on: what the API reads. Never `authorization`: that is our token. */
const PASSED_REQUEST = ['accept', 'content-type', 'user-agent'];
/** Answer headers passed back. */
const PASSED_ANSWER = ['content-type', 'cache-control', 'warning'];

/** Where the source is, for messages: never its path's secrets or a password in its URL. */
function shownSource(url: string): string {
  try {
    const u = new URL(url);
    return `${u.protocol}//${u.host}`;
  } catch {
    return 'the source';
  }
}

async function readBounded(
  res: Response,
  max: number,
  where: string,
): Promise<Uint8Array<ArrayBuffer>> {
  const reader = res.body?.getReader();
  if (!reader) return new Uint8Array();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > max) {
      await reader.cancel();
      throw new ApiError(
        'unavailable',
        `${where} answered more than ${formatBytes(max)}, the most passed on; narrow the request`,
      );
    }
    chunks.push(value);
  }
  const out = new Uint8Array(size);
  let at = 0;
  for (const c of chunks) {
    out.set(c, at);
    at += c.byteLength;
  }
  return out;
}

/**
 * A proxy to the source's HTTP API. `forward(c, path)` sends the request's method (GET or
 * POST), query string and form body to `<source url><path>` with the source's configured
 * headers (an `X-Scope-OrgID`, its bearer token) and none of the caller's credentials; it
 * answers the source's status and body as they are. Redirects are refused rather than
 * followed, so the source's headers never go anywhere else; a source that is down, slow
 * (`timeout`), or answers more than `maxBodyBytes` gets a Prometheus-shaped error that names it
 * by scheme and host only.
 *
 * @example
 * ```ts
 * const proxy = createSourceProxy({ source: policy.source });
 * app.get('/api/v1/series', (c) => proxy.forward(c, '/api/v1/series'));
 * ```
 */
export function createSourceProxy(options: SourceProxyOptions) {
  const { source } = options;
  const max = options.maxBodyBytes ?? PROXY_MAX_BODY_BYTES;
  const fetchImpl = options.fetch ?? fetch;
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
      try {
        res = await fetchImpl(`${base}${path}${search}`, {
          method,
          headers,
          ...(method === 'POST' && { body: await c.req.arrayBuffer() }),
          redirect: 'manual',
          signal: AbortSignal.any([c.req.raw.signal, AbortSignal.timeout(source.timeoutMs)]),
        });
      } catch (err) {
        const timedOut = err instanceof Error && err.name === 'TimeoutError';
        throw new ApiError(
          timedOut ? 'timeout' : 'unavailable',
          timedOut
            ? `${where} did not answer within ${source.timeoutMs} ms`
            : `${where} is unreachable: ${errorMessage(err)}${err instanceof Error && err.cause ? `: ${errorMessage(err.cause)}` : ''}`,
          { cause: err },
        );
      }
      if (res.status >= 300 && res.status < 400) {
        await res.body?.cancel();
        throw new ApiError(
          'unavailable',
          `${where} answered a redirect (${res.status}), which is not followed`,
        );
      }
      const body = await readBounded(res, max, where);
      const answer = new Headers();
      for (const name of PASSED_ANSWER) {
        const value = res.headers.get(name);
        if (value) answer.set(name, value);
      }
      return new Response(body, { status: res.status, headers: answer });
    },
  };
}

/** The proxy's type. */
export type SourceProxy = ReturnType<typeof createSourceProxy>;
