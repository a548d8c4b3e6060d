/** Answers of Prometheus's HTTP API under the prefix: the success envelope, and every error in its shape. */
import type { Context, ErrorHandler, MiddlewareHandler } from 'hono';
import { HTTPException } from 'hono/http-exception';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import type { ProblemDetails } from '../../../sdk/types.js';
import { PROBLEM_TYPE } from '../problem.js';
import {
  PROMETHEUS_ERROR_STATUS,
  type PrometheusErrorType,
  prometheusErrorBody,
} from '../prometheus-json.js';

/**
 * The error types this API answers: Prometheus's own, plus words for what Prometheus has no
 * type for because it has no such check (a missing token, a route that is not there).
 */
export type ApiErrorType =
  | PrometheusErrorType
  | 'not_found'
  | 'unauthorized'
  | 'forbidden'
  | 'method_not_allowed'
  | 'too_large';

const STATUS_OF: Readonly<Record<ApiErrorType, number>> = {
  ...PROMETHEUS_ERROR_STATUS,
  not_found: 404,
  unauthorized: 401,
  forbidden: 403,
  method_not_allowed: 405,
  too_large: 413,
};

/** A request the API refuses, thrown by readers of its parameters and answered by {@link apiErrors}. */
export class ApiError extends Error {
  override readonly name = 'ApiError';
  readonly type: ApiErrorType;

  constructor(type: ApiErrorType, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.type = type;
  }
}

/** `{status:'error', errorType, error}` with the status Prometheus answers that type with. */
export function apiFailure(c: Context, type: ApiErrorType, message: string): Response {
  const body = prometheusErrorBody(type as PrometheusErrorType, message);
  return c.json(body, STATUS_OF[type] as ContentfulStatusCode);
}

/**
 * `{status:'success', data}`, and Prometheus's `warnings` when there are any (a list cut at
 * its `limit`, say).
 *
 * @example
 * ```ts
 * return apiSuccess(c, ['job', 'instance']);
 * ```
 */
export function apiSuccess(c: Context, data: unknown, warnings: readonly string[] = []): Response {
  return c.json({ status: 'success', data, ...(warnings.length > 0 && { warnings }) });
}

function typeOfStatus(status: number): ApiErrorType {
  switch (status) {
    case 401:
      return 'unauthorized';
    case 403:
      return 'forbidden';
    case 404:
      return 'not_found';
    case 405:
      return 'method_not_allowed';
    case 413:
      return 'too_large';
    case 422:
      return 'execution';
    case 503:
      return 'unavailable';
    default:
      return status >= 500 ? 'internal' : 'bad_data';
  }
}

/**
 * The sub-app's error handler: an `ApiError` keeps its type, an `HTTPException` (the token
 * guard's 401 and 403) its status and headers, and anything else is a 500 that says nothing of
 * the code. Unexpected errors go to `report`.
 */
export function apiErrors(report: (message: string, err: unknown) => void): ErrorHandler {
  return function onApiError(err, c) {
    if (err instanceof ApiError) return apiFailure(c, err.type, err.message);
    if (err instanceof HTTPException) {
      const res = apiFailure(c, typeOfStatus(err.status), err.message || `HTTP ${err.status}`);
      err.res?.headers.forEach((value, key) => {
        if (key !== 'content-type' && key !== 'content-length') res.headers.set(key, value);
      });
      return res;
    }
    report(`${c.req.method} ${c.req.path} failed:`, err);
    return apiFailure(c, 'internal', 'the server failed to answer this request');
  };
}

/**
 * Rewrites a problem-details answer from a shared guard (the body size limit, say) into
 * Prometheus's shape, so every answer under the prefix is what a Prometheus client reads.
 */
export const prometheusShaped = (): MiddlewareHandler =>
  async function prometheusShaped(c, next) {
    await next();
    if (!c.res.headers.get('content-type')?.startsWith(PROBLEM_TYPE)) return;
    const problem = (await c.res.clone().json()) as ProblemDetails;
    const status = c.res.status;
    const headers = new Headers(c.res.headers);
    const reshaped = apiFailure(c, typeOfStatus(status), problem.detail ?? problem.title);
    headers.set('content-type', 'application/json');
    headers.delete('content-length');
    c.res = new Response(reshaped.body, { status, headers });
  };
