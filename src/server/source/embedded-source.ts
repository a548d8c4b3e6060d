/** QuerySource over our own PromQL engine, in process. */
import type { TargetHealth } from '../../sdk/types.js';
import { errorMessage } from '../../shared/error-message.js';
import type { LabelMatcher, Labels } from '../model/model.js';

import type { PromqlEngine, QueryStop } from '../promql/index.js';
import { PromqlError, queryStop } from '../promql/index.js';
import type { QueryResult } from '../promql/result.js';
import type { HeadStore } from '../store/types.js';
import { QueryError, type QueryErrorKind } from './query-error.js';
import { type QueryOptions, type QuerySource, type QueryTime, toEpochMs } from './query-source.js';

const KIND_OF: Record<PromqlError['kind'], QueryErrorKind> = {
  parse: 'bad_data',
  type: 'bad_data',
  unsupported: 'unsupported',
  execution: 'execution',
  limit: 'limit',
  timeout: 'timeout',
  canceled: 'canceled',
};

/** Maps an engine failure to the seam's one error type, keeping the original as `cause`. */
export function toQueryError(err: unknown): QueryError {
  if (err instanceof QueryError) return err;
  if (err instanceof PromqlError)
    return new QueryError(KIND_OF[err.kind] ?? 'execution', err.message, {
      cause: err,
      position: err.position,
    });
  const message = errorMessage(err);
  return new QueryError('execution', message, { cause: err });
}

/**
 * The stop check of one query. The engine is synchronous, so the event loop cannot fire a timer
 * or an abort while it runs: the deadline is what ends a long query here; the signal stops one
 * aborted before it started.
 */
export function stopOf(opts: QueryOptions | undefined): QueryStop {
  return queryStop({
    signal: opts?.signal,
    deadlineMs: opts?.timeoutMs === undefined ? undefined : Date.now() + opts.timeoutMs,
  });
}

function evaluate(
  run: (stop: QueryStop) => QueryResult,
  opts: QueryOptions | undefined,
): Promise<QueryResult> {
  try {
    return Promise.resolve(run(stopOf(opts)));
  } catch (err) {
    return Promise.reject(toQueryError(err));
  }
}

function evaluateLabels(run: () => Labels[]): Promise<Labels[]> {
  try {
    return Promise.resolve(run());
  } catch (err) {
    return Promise.reject(toQueryError(err));
  }
}

/** What the embedded source tells besides query answers; each optional. */
export interface EmbeddedSourceOptions {
  /** The head the engine reads, for `series`. */
  readonly head?: HeadStore;
  /** The scraper's target health, for `targets`. */
  readonly targets?: () => TargetHealth[];
}

/**
 * Wraps an engine as a `QuerySource`; engine errors become `QueryError`s. `series` reads the
 * head and `targets` the scraper, when given.
 * @example
 * const source = createEmbeddedSource(new PromqlEngine(head), { head });
 * const r = await source.instant('up', Date.now());
 */
export function createEmbeddedSource(
  engine: PromqlEngine,
  options: EmbeddedSourceOptions = {},
): QuerySource {
  const { head, targets } = options;
  return {
    ...(head && {
      series: (matchers: readonly LabelMatcher[]) =>
        evaluateLabels(() => head.select(matchers).map((s) => s.labels)),
    }),
    ...(targets && { targets: async () => targets() }),
    instant(expr: string, time: QueryTime, opts?: QueryOptions) {
      return evaluate(
        (stop) => engine.instant(expr, toEpochMs(time), { stop, stats: opts?.stats }),
        opts,
      );
    },
    range(expr: string, start: QueryTime, end: QueryTime, stepMs: number, opts?: QueryOptions) {
      return evaluate(
        (stop) =>
          engine.range(expr, toEpochMs(start), toEpochMs(end), stepMs, {
            stop,
            stats: opts?.stats,
          }),
        opts,
      );
    },
  };
}
