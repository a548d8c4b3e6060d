/** RFC 9457 problem details: the one error body every API route answers with. */
import type { Context, ErrorHandler, NotFoundHandler } from 'hono';
import { HTTPException } from 'hono/http-exception';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import type { PolicyIssue, ProblemDetails } from '../../sdk/types.js';

/** The media type of a problem body. */
export const PROBLEM_TYPE = 'application/problem+json';

const TITLES: Readonly<Record<number, string>> = {
  400: 'Bad Request',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'Not Found',
  405: 'Method Not Allowed',
  409: 'Conflict',
  413: 'Content Too Large',
  415: 'Unsupported Media Type',
  429: 'Too Many Requests',
  500: 'Internal Server Error',
  503: 'Service Unavailable',
};

/** What a route knows about a problem; `title` defaults to the status's reason phrase. */
export interface ProblemInit {
  readonly status: number;
  readonly detail?: string;
  readonly title?: string;
  /** URI naming the problem type. Default `about:blank`. */
  readonly type?: string;
  readonly errors?: readonly PolicyIssue[];
  /** Extension members (RFC 9457 §3.2), e.g. the name of a bad parameter. */
  readonly extensions?: Readonly<Record<string, string | number | boolean>>;
}

/** Builds a problem body. */
export function problemBody(init: ProblemInit): ProblemDetails {
  return {
    type: init.type ?? 'about:blank',
    title: init.title ?? TITLES[init.status] ?? 'Error',
    status: init.status,
    ...(init.detail !== undefined && { detail: init.detail }),
    ...(init.errors !== undefined && { errors: init.errors }),
    ...init.extensions,
  };
}

/**
 * Answers with a problem body and `Content-Type: application/problem+json`.
 *
 * @example
 * ```ts
 * return problem(c, { status: 404, detail: 'no KPI with id "x"' });
 * ```
 */
export function problem(c: Context, init: ProblemInit): Response {
  return c.body(JSON.stringify(problemBody(init)), init.status as ContentfulStatusCode, {
    'content-type': PROBLEM_TYPE,
  });
}

/**
 * An error a route throws to answer with a problem; `cause` keeps what went wrong underneath.
 *
 * @example
 * ```ts
 * throw new ProblemError({ status: 400, detail: 'invalid parameter "step"' }, { cause: err });
 * ```
 */
export class ProblemError extends HTTPException {
  readonly problem: ProblemInit;

  constructor(init: ProblemInit, options?: { cause?: unknown }) {
    super(init.status as ContentfulStatusCode, { message: init.detail, cause: options?.cause });
    this.name = 'ProblemError';
    this.problem = init;
  }
}

/** Options of {@link problemErrorHandler}. Every field is optional. */
export interface ProblemHandlerOptions {
  /** Where unexpected errors are reported (with their stack). Default `console.error`. */
  readonly report?: (message: string, err: unknown) => void;
}

/**
 * An `app.onError` that answers every thrown error with a problem body. Expected errors
 * (`HTTPException`, `ProblemError`) keep their status, message and headers (so a 401 keeps its
 * `WWW-Authenticate`); anything else is a 500 whose body says nothing about the code, since a
 * stack trace helps an attacker more than a user. Unexpected errors go to `report`.
 *
 * @example
 * ```ts
 * app.onError(problemErrorHandler());
 * ```
 */
export function problemErrorHandler(options: ProblemHandlerOptions = {}): ErrorHandler {
  const report = options.report ?? ((message, err) => console.error(message, err));
  return function onProblem(err, c) {
    if (err instanceof ProblemError) return problem(c, err.problem);
    if (err instanceof HTTPException) {
      const res = problem(c, { status: err.status, detail: err.message || undefined });
      // The guard's 401 carries `WWW-Authenticate`; keep every header it set.
      err.res?.headers.forEach((value, key) => {
        if (key !== 'content-type' && key !== 'content-length') res.headers.set(key, value);
      });
      return res;
    }
    report(`${c.req.method} ${c.req.path} failed:`, err);
    return problem(c, { status: 500, detail: 'the server failed to answer this request' });
  };
}

/** An `app.notFound` answering 404 with a problem body. */
export const problemNotFound: NotFoundHandler = (c) =>
  problem(c, { status: 404, detail: `no route for ${c.req.method} ${c.req.path}` });
