/** Reads the parameters of Prometheus's API: form or query string, `match[]` selectors, times and limits. */
import type { Context } from 'hono';
import { compileMatcher } from '../../model/label-matcher.js';
import type { LabelMatcher } from '../../model/model.js';
import { parseErrorText } from '../../promql/error-position.js';
import { PromqlError, parsePromql } from '../../promql/index.js';
import type { SeriesSelection } from '../../series-reads/series-reads.js';
import { ParamError, parsePrometheusTime } from '../params/prometheus-params.js';
import { ApiError } from './api-reply.js';

/** A request's parameters, as Go's `r.Form`: the form body's values first, then the URL's. */
export interface ApiParams {
  /** The first value of `name`, or undefined. */
  get(name: string): string | undefined;
  /** Every value of `name`, in order. */
  all(name: string): string[];
}

/** What the PromQL parser says of `{}` or `{a=""}`. */
const EMPTY_SELECTOR = 'vector selector must contain at least one non-empty matcher';

const FORM = /^\s*(application\/x-www-form-urlencoded|multipart\/form-data)\b/i;

/**
 * The parameters of a GET, or of a POST with a form body (already bounded and parsed by
 * `queryBody`, which caches it on the request).
 *
 * @example
 * ```ts
 * const params = await readApiParams(c);
 * params.all('match[]'); // ['up', '{job="efile"}']
 * ```
 */
export async function readApiParams(c: Context): Promise<ApiParams> {
  let form: Record<string, string | File | (string | File)[]> = {};
  if (c.req.method === 'POST' && FORM.test(c.req.header('content-type') ?? '')) {
    form = await c.req.parseBody({ all: true });
  }
  const fromForm = (name: string): string[] => {
    const v = form[name];
    const list = Array.isArray(v) ? v : v === undefined ? [] : [v];
    return list.filter((x): x is string => typeof x === 'string');
  };
  return {
    get: (name) => fromForm(name)[0] ?? c.req.query(name),
    all: (name) => [...fromForm(name), ...(c.req.queries(name) ?? [])],
  };
}

/** `invalid parameter "<name>": …`, Prometheus's words for a parameter it cannot read. */
export function badParam(name: string, message: string): ApiError {
  return new ApiError('bad_data', `invalid parameter "${name}": ${message}`);
}

/**
 * A time parameter in epoch ms, or `fallback` when absent.
 *
 * @example
 * ```ts
 * timeParam(params, 'start', Number.NEGATIVE_INFINITY);
 * ```
 */
export function timeParam(params: ApiParams, name: string, fallback: number): number {
  const text = params.get(name);
  if (text === undefined || text === '') return fallback;
  try {
    return parsePrometheusTime(text);
  } catch (err) {
    if (err instanceof ParamError) {
      throw badParam(name, `Invalid time value for '${name}': ${err.message}`);
    }
    throw err;
  }
}

/**
 * One `match[]` value: a series selector (`up`, `{job="efile",code=~"5.."}`), with at least
 * one matcher that does not match the empty string, as Prometheus requires.
 *
 * @example
 * ```ts
 * parseSelector('up{job="efile"}'); // [{ name: 'job', … }, { name: '__name__', type: '=', value: 'up' }]
 * ```
 */
export function parseSelector(
  text: string,
  param = 'match[]',
  options: { readonly allowEmpty?: boolean } = {},
): LabelMatcher[] {
  let expr: ReturnType<typeof parsePromql>;
  try {
    expr = parsePromql(text);
  } catch (err) {
    // The parser's own refusal of `{}`, in the API's words for a selector parameter.
    if (err instanceof PromqlError && err.message === EMPTY_SELECTOR) {
      throw badParam(param, `${param} must contain at least one non-empty matcher`);
    }
    if (err instanceof PromqlError && err.position !== undefined) {
      throw badParam(param, parseErrorText(text, err.position, err.message));
    }
    throw badParam(param, err instanceof Error ? err.message : String(err));
  }
  if (expr.kind !== 'vector-selector' || expr.offsetMs !== 0 || expr.at !== undefined) {
    throw badParam(
      param,
      parseErrorText(
        text,
        expr.kind === 'vector-selector' ? expr.start : 0,
        'expected a series selector, like up{job="api"}',
      ),
    );
  }
  if (!options.allowEmpty && expr.matchers.every((m) => compileMatcher(m).matchesEmpty)) {
    throw badParam(param, `${param} must contain at least one non-empty matcher`);
  }
  return [...expr.matchers];
}

/** A non-negative whole `limit`; 0 or absent means none. */
export function limitParam(params: ApiParams): number {
  const text = params.get('limit');
  if (text === undefined || text === '') return 0;
  const n = Number(text);
  if (!Number.isInteger(n) || n < 0)
    throw badParam('limit', `cannot parse "${text}" to a non-negative whole number`);
  return n;
}

/**
 * The series a label or series request is about: its `match[]` selectors, `start`, `end` and
 * `limit`. `requireMatch` makes a missing `match[]` an error, as `/api/v1/series` has it.
 *
 * @example
 * ```ts
 * const sel = seriesSelection(await readApiParams(c), { requireMatch: true });
 * ```
 */
export function seriesSelection(
  params: ApiParams,
  options: { readonly requireMatch?: boolean } = {},
): SeriesSelection {
  const matches = params.all('match[]');
  if (options.requireMatch && matches.length === 0) {
    throw new ApiError('bad_data', 'no match[] parameter provided');
  }
  const startMs = timeParam(params, 'start', Number.NEGATIVE_INFINITY);
  const endMs = timeParam(params, 'end', Number.POSITIVE_INFINITY);
  return {
    matcherSets: matches.map((m) => parseSelector(m)),
    startMs,
    endMs,
    limit: limitParam(params),
  };
}

/** Warnings for a list cut at its limit, as newer Prometheus words them. */
export function limitWarnings(truncated: boolean): string[] {
  return truncated ? ['results truncated due to limit'] : [];
}
