/** `query_exemplars`, `format_query` and `alertmanagers` of Prometheus's API for the embedded engine. */
import { type Context, Hono } from 'hono';
import { parseErrorText } from '../../promql/error-position.js';
import { PromqlError, parsePromql } from '../../promql/index.js';
import { formatQuery } from '../../promql/print-expr.js';
import { badParam, readApiParams, timeParam } from './api-params.js';
import { apiSuccess } from './api-reply.js';

/** The query parsed, or Prometheus's `invalid parameter "query": 1:5: parse error: …`. */
function parsedQuery(text: string) {
  try {
    return parsePromql(text);
  } catch (err) {
    if (err instanceof PromqlError) {
      const where =
        err.position === undefined ? err.message : parseErrorText(text, err.position, err.message);
      throw badParam('query', where);
    }
    throw err;
  }
}

/**
 * The routes, path-relative (mount under `/api/v1`). The scraper keeps no exemplars, so
 * `query_exemplars` checks its query and times and answers an empty list, as Prometheus does
 * with exemplar storage off. `format_query` lays the query out as Prometheus does.
 * `alertmanagers` lists the Alertmanagers the policy's receivers forward to.
 *
 * @example
 * ```ts
 * new Hono().route('/api/v1', createQueryExtraRoutes({ alertmanagers: () => ['http://am:9093'] }));
 * ```
 */
export function createQueryExtraRoutes(options: {
  readonly alertmanagers: () => readonly string[];
}) {
  const exemplars = async (c: Context) => {
    const params = await readApiParams(c);
    parsedQuery(params.get('query') ?? '');
    timeParam(params, 'start', 0);
    timeParam(params, 'end', 0);
    return apiSuccess(c, []);
  };
  const format = async (c: Context) => {
    const params = await readApiParams(c);
    return apiSuccess(c, formatQuery(parsedQuery(params.get('query') ?? '')));
  };
  return new Hono()
    .get('/query_exemplars', exemplars)
    .post('/query_exemplars', exemplars)
    .get('/format_query', format)
    .post('/format_query', format)
    .get('/alertmanagers', (c) =>
      apiSuccess(c, {
        activeAlertmanagers: options.alertmanagers().map((url) => ({
          url: new URL('api/v2/alerts', url.endsWith('/') ? url : `${url}/`).href,
        })),
        droppedAlertmanagers: [],
      }),
    );
}
