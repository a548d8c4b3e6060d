/** One call to a Prometheus-compatible HTTP API: headers, time limit, and every failure as a `QueryError`. */
import { errorMessage } from '../../shared/error-message.js';
import { BodyTooLargeError, readBoundedText } from '../http/bounded-body.js';
import { CrossOriginRedirectError } from '../http/same-origin-fetch.js';
import { QueryError, type QueryErrorKind } from './query-error.js';
import type { QueryOptions } from './query-source.js';

/** The envelope every Prometheus API answer comes in. */
export interface ApiBody {
  status?: string;
  errorType?: string;
  error?: string;
  data?: unknown;
}

const KIND_OF: Record<string, QueryErrorKind> = {
  bad_data: 'bad_data',
  execution: 'execution',
  timeout: 'timeout',
  canceled: 'canceled',
};

/** How to reach the server. */
export interface PrometheusApiOptions {
  /** Base URL, a path prefix kept, no trailing slash. */
  readonly base: string;
  /** Follows redirects within the server's origin only (`createSameOriginFetch`). */
  readonly fetch: typeof fetch;
  readonly timeoutMs: number;
  readonly headers: Readonly<Record<string, string>>;
  /** Most bytes of one answer's body; past it the read stops and the query fails. */
  readonly maxBodyBytes: number;
}

function linkSignals(timeoutMs: number, signal: AbortSignal | undefined): AbortSignal {
  const timeout = AbortSignal.timeout(timeoutMs);
  return signal ? AbortSignal.any([timeout, signal]) : timeout;
}

function fetchFailure(
  err: unknown,
  caller: AbortSignal | undefined,
  timeoutMs: number,
): QueryError {
  if (err instanceof CrossOriginRedirectError) {
    return new QueryError('unavailable', `prometheus ${err.message}`, { cause: err });
  }
  if (err instanceof BodyTooLargeError) {
    return new QueryError('limit', err.message, { cause: err });
  }
  if (caller?.aborted) {
    // A caller's own timeout signal still means "timed out", not "canceled".
    const timedOut = (caller.reason as Error | undefined)?.name === 'TimeoutError';
    return new QueryError(
      timedOut ? 'timeout' : 'canceled',
      timedOut ? 'query timed out' : 'query canceled',
      { cause: err },
    );
  }
  if (err instanceof Error && (err.name === 'TimeoutError' || err.name === 'AbortError')) {
    return new QueryError('timeout', `prometheus did not answer within ${timeoutMs} ms`, {
      cause: err,
    });
  }
  // fetch says only "fetch failed"; the reason (ECONNREFUSED, …) is its cause.
  const cause =
    err instanceof Error && err.cause !== undefined ? `: ${errorMessage(err.cause)}` : '';
  return new QueryError('unavailable', `prometheus unreachable: ${errorMessage(err)}${cause}`, {
    cause: err,
  });
}

/**
 * Sends one request and answers the `data` of a `success` envelope. A server that cannot be
 * reached, answers late, or answers something other than its API (a proxy's HTML page) throws
 * `QueryError` `unavailable` or `timeout`; an API error keeps Prometheus's error type. The body
 * is read as it streams, under `maxBodyBytes` and the same deadline, so an endless or huge
 * answer is cut (`limit`) with memory held at the cap, and a redirect to another origin is
 * refused (`unavailable`) before the headers go there.
 *
 * @example
 * ```ts
 * const data = await callPrometheusApi(api, 'GET', '/api/v1/targets', new URLSearchParams({ state: 'active' }));
 * ```
 */
export async function callPrometheusApi(
  api: PrometheusApiOptions,
  method: 'GET' | 'POST',
  path: string,
  params: URLSearchParams,
  opts?: QueryOptions,
): Promise<unknown> {
  const timeoutMs = Math.min(api.timeoutMs, opts?.timeoutMs ?? Number.POSITIVE_INFINITY);
  let response: Response;
  let parsed: ApiBody | undefined;
  try {
    const init: RequestInit = {
      method,
      headers: {
        accept: 'application/json',
        ...(method === 'POST' && { 'content-type': 'application/x-www-form-urlencoded' }),
        ...api.headers,
      },
      signal: linkSignals(timeoutMs, opts?.signal),
    };
    const query = method === 'GET' ? `?${params}` : '';
    response = await api.fetch(`${api.base}${path}${query}`, {
      ...init,
      ...(method === 'POST' && { body: params }),
    });
    const text = await readBoundedText(
      response,
      api.maxBodyBytes,
      `prometheus's answer from ${path}`,
    );
    try {
      parsed = JSON.parse(text) as ApiBody;
    } catch {
      parsed = undefined;
    }
    if (!parsed || typeof parsed !== 'object') {
      throw new QueryError(
        'unavailable',
        `prometheus answered HTTP ${response.status} from ${path}, not its API: ${text.slice(0, 200)}`,
      );
    }
  } catch (err) {
    if (err instanceof QueryError) throw err;
    throw fetchFailure(err, opts?.signal, timeoutMs);
  }
  if (parsed.status === 'success') return parsed.data;
  const kind =
    KIND_OF[parsed.errorType ?? ''] ?? (response.status >= 500 ? 'unavailable' : 'execution');
  throw new QueryError(kind, parsed.error ?? `HTTP ${response.status} from ${path}`);
}
