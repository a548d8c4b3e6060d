/** The body of Prometheus's query routes: bounded in size, and a form that must parse, before any query runs. */
import type { MiddlewareHandler } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { errorMessage } from '../../../shared/error-message.js';
import { formatBytes } from '../../scrape/scrape-error.js';
import { ProblemError, problem } from '../problem.js';

/**
 * Largest query body by default: 1 MiB. A PromQL query is a few hundred bytes, and even a
 * generated one with a long regex alternation (`{pod=~"a|b|…"}`) stays far below this; the form is
 * buffered whole to be parsed, so this bounds what one request can make the server hold.
 */
export const QUERY_BODY_MAX_BYTES = 1024 * 1024;

/** Options of {@link queryBody}. Every field is optional. */
export interface QueryBodyOptions {
  /** Largest body accepted, bytes. Default {@link QUERY_BODY_MAX_BYTES} (1 MiB). */
  readonly maxBytes?: number;
}

const FORM_TYPES = /^\s*(application\/x-www-form-urlencoded|multipart\/form-data)\b/i;

/**
 * Guards `POST /api/v1/query` and `/query_range`: a body over the limit is refused with `413`
 * before it is read further, and a form that cannot be parsed (say `multipart/form-data` with no
 * boundary) is the client's `400`, never a `500`. Both answer with a problem body. The parsed
 * form stays cached on the request, so the route reads it again for free.
 *
 * @example
 * ```ts
 * v1.use('/query', queryBody()).use('/query_range', queryBody());
 * ```
 */
export const queryBody = (options: QueryBodyOptions = {}): MiddlewareHandler => {
  const maxBytes = options.maxBytes ?? QUERY_BODY_MAX_BYTES;
  const limit = bodyLimit({
    maxSize: maxBytes,
    onError: (c) =>
      problem(c, {
        status: 413,
        detail: `the request body is larger than ${formatBytes(maxBytes)}, the most a query route reads`,
        extensions: { limit: maxBytes },
      }),
  });
  return async function queryBody(c, next) {
    if (c.req.method !== 'POST') return next();
    return limit(c, async () => {
      if (FORM_TYPES.test(c.req.header('content-type') ?? '')) {
        try {
          await c.req.parseBody();
        } catch (err) {
          throw new ProblemError(
            { status: 400, detail: `the form body cannot be read: ${errorMessage(err)}` },
            { cause: err },
          );
        }
      }
      await next();
    });
  };
};
