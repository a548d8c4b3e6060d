/** `series`, `labels` and `label/:name/values` of Prometheus's API, answered by a series reader. */
import { type Context, Hono } from 'hono';
import { checkLabelName } from '../../../shared/label-name.js';
import type { LimitedList, SeriesReader } from '../../series-reads/series-reads.js';
import { limitWarnings, readApiParams, seriesSelection } from './api-params.js';
import { ApiError, apiSuccess } from './api-reply.js';

/**
 * The three label and series routes, path-relative (mount under `/api/v1`). `series` needs
 * `match[]`; `labels` and label values take it optionally; all take `start`, `end` and `limit`,
 * by GET or (except label values, as in Prometheus) POST with a form.
 *
 * @example
 * ```ts
 * new Hono().route('/api/v1', createSeriesRoutes({ reader }));
 * ```
 */
export function createSeriesRoutes(options: {
  readonly reader: SeriesReader;
  /** `--query.max-result-bytes`: the most an answer's labels may take. */
  readonly maxBytes?: number;
}) {
  const { reader, maxBytes } = options;
  /** The list, or the refusal of one that would pass the byte bound (422, as a query's). */
  const answer = <T>(c: Context, list: LimitedList<T>) => {
    if (list.tooLarge) throw new ApiError('execution', list.tooLarge);
    return apiSuccess(c, list.items, limitWarnings(list.truncated));
  };
  const series = async (c: Context) => {
    const sel = seriesSelection(await readApiParams(c), { requireMatch: true });
    return answer(c, await reader.read('series', { ...sel, maxBytes }));
  };
  const labels = async (c: Context) => {
    const sel = seriesSelection(await readApiParams(c));
    return answer(c, await reader.read('label-names', { ...sel, maxBytes }));
  };
  return new Hono()
    .get('/series', series)
    .post('/series', series)
    .get('/labels', labels)
    .post('/labels', labels)
    .get('/label/:name/values', async (c) => {
      const name = c.req.param('name');
      // `__name__` is a label like any other here; only the character set is checked.
      if (checkLabelName(name, { refuseDoubleUnderscore: false }) !== undefined) {
        throw new ApiError('bad_data', `invalid label name: ${JSON.stringify(name)}`);
      }
      const sel = seriesSelection(await readApiParams(c));
      return answer(c, await reader.read('label-values', { ...sel, name, maxBytes }));
    });
}
