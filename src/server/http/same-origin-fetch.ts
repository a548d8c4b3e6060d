/** A `fetch` that follows redirects only within the origin it was asked for, so credentials never reach another host. */

/** A redirect to another origin (scheme, host or port) was refused; nothing was sent there. */
export class CrossOriginRedirectError extends Error {
  override readonly name = 'CrossOriginRedirectError';
  /** The origin that was asked, e.g. `http://127.0.0.1:9090`. Never user info or a path. */
  readonly from: string;
  /** The origin the redirect pointed to. */
  readonly to: string;

  constructor(from: string, to: string) {
    super(
      `redirect from ${from} to another origin (${to}) refused: headers and body are never sent across origins`,
    );
    this.from = from;
    this.to = to;
  }
}

/** Options of {@link createSameOriginFetch}. Every field is optional. */
export interface SameOriginFetchOptions {
  /** The fetch underneath. Default: the global `fetch`. */
  readonly fetch?: typeof fetch;
  /** Most redirects followed for one request. Default 5. */
  readonly maxRedirects?: number;
}

const REDIRECTS = new Set([301, 302, 303, 307, 308]);
/** Headers that describe a body: dropped with the body when a redirect turns the request into a GET. */
const BODY_HEADERS = ['content-type', 'content-length', 'content-encoding', 'content-language'];

function replayable(body: RequestInit['body']): boolean {
  return body === undefined || body === null || !(body instanceof ReadableStream);
}

/**
 * Wraps `fetch` so that a redirect is followed only to the same origin. A same-origin redirect
 * is followed as `fetch` would (303, and 301/302 after a POST, become a GET without the body;
 * 307/308 resend method, headers and body). A redirect to another origin throws
 * {@link CrossOriginRedirectError} before anything is sent there, so a token, a tenant header
 * or a signed body given for one server never reaches another. The one rule for every outbound
 * call that carries a secret: the Prometheus source, webhooks, Alertmanager.
 *
 * @example
 * ```ts
 * const get = createSameOriginFetch();
 * const res = await get('https://prometheus.example.gov/api/v1/query', {
 *   headers: { authorization: 'Bearer …' },
 * }); // a 307 to https://elsewhere.example throws CrossOriginRedirectError
 * ```
 */
export function createSameOriginFetch(options: SameOriginFetchOptions = {}): typeof fetch {
  const inner = options.fetch ?? fetch;
  const maxRedirects = options.maxRedirects ?? 5;
  return async function sameOriginFetch(
    input: string | URL | Request,
    init: RequestInit = {},
  ): Promise<Response> {
    if (typeof input !== 'string' && !(input instanceof URL)) {
      // A Request's body is a stream that cannot be sent twice; callers pass a URL and init.
      throw new TypeError('sameOriginFetch takes a URL and an init, not a Request');
    }
    const first = new URL(input);
    let url = first;
    let request: RequestInit = { ...init, redirect: 'manual' };
    for (let hop = 0; ; hop++) {
      const res = await inner(url, request);
      const location = res.headers.get('location');
      if (!REDIRECTS.has(res.status) || location === null) return res;
      // The redirect's own body is of no use; release its socket.
      await res.body?.cancel().catch(() => {});
      if (hop >= maxRedirects) {
        throw new TypeError(`more than ${maxRedirects} redirects from ${first.origin}`);
      }
      let next: URL;
      try {
        next = new URL(location, url);
      } catch {
        throw new TypeError(`redirect from ${first.origin} to an invalid URL`);
      }
      // Messages name origins only: `URL.origin` has no user info, path or query to leak.
      if (next.origin !== first.origin) {
        throw new CrossOriginRedirectError(first.origin, next.origin);
      }
      request = followed(request, res.status);
      url = next;
    }
  };
}

/** The request a same-origin redirect asks for, as `fetch` does it. */
function followed(request: RequestInit, status: number): RequestInit {
  const method = (request.method ?? 'GET').toUpperCase();
  const toGet =
    (status === 303 && method !== 'HEAD') ||
    ((status === 301 || status === 302) && method === 'POST');
  if (!toGet) {
    if (!replayable(request.body)) {
      throw new TypeError(`cannot follow a ${status} redirect: the request body was a stream`);
    }
    return request;
  }
  const headers = new Headers(request.headers);
  for (const name of BODY_HEADERS) headers.delete(name);
  return { ...request, method: 'GET', body: undefined, headers };
}
