/** QuerySource over our own PromQL engine, in process. */
import { errorMessage } from '../error-message.js';

import type { PromqlEngine } from '../promql/index.js';
import { PromqlError } from '../promql/index.js';
import type { QueryResult } from '../promql/result.js';
import { QueryError, type QueryErrorKind } from './query-error.js';
import { type QueryOptions, type QuerySource, type QueryTime, toEpochMs } from './query-source.js';

const KIND_OF: Record<PromqlError['kind'], QueryErrorKind> = {
  parse: 'bad_data',
  type: 'bad_data',
  unsupported: 'unsupported',
  execution: 'execution',
  limit: 'limit',
};

function toQueryError(err: unknown): QueryError {
  if (err instanceof QueryError) return err;
  if (err instanceof PromqlError)
    return new QueryError(KIND_OF[err.kind] ?? 'execution', err.message, { cause: err });
  const message = errorMessage(err);
  return new QueryError('execution', message, { cause: err });
}

function evaluate(run: () => QueryResult, opts: QueryOptions | undefined): Promise<QueryResult> {
  // The engine is synchronous, so a signal can only stop a query that has not started.
  if (opts?.signal?.aborted) {
    return Promise.reject(
      new QueryError('canceled', 'query canceled', { cause: opts.signal.reason }),
    );
  }
  try {
    return Promise.resolve(run());
  } catch (err) {
    return Promise.reject(toQueryError(err));
  }
}

/**
 * Wraps an engine as a `QuerySource`; engine errors become `QueryError`s.
 * @example
 * const source = createEmbeddedSource(new PromqlEngine(head));
 * const r = await source.instant('up', Date.now());
 */
export function createEmbeddedSource(engine: PromqlEngine): QuerySource {
  return {
    instant(expr: string, time: QueryTime, opts?: QueryOptions) {
      return evaluate(() => engine.instant(expr, toEpochMs(time)), opts);
    },
    range(expr: string, start: QueryTime, end: QueryTime, stepMs: number, opts?: QueryOptions) {
      return evaluate(() => engine.range(expr, toEpochMs(start), toEpochMs(end), stepMs), opts);
    },
  };
}
