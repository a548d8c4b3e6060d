/** Remembers whether a source's last query got an answer, for `/readyz`. */
import { errorMessage } from '../../shared/error-message.js';
import { QueryError } from './query-error.js';
import type { QuerySource } from './query-source.js';

/** A source that also says whether it was reachable at its last query. */
export interface WatchedSource {
  readonly source: QuerySource;
  /** True once a query got an answer (even an error answer), until one gets none. */
  reachable(): boolean;
  /** Why the last query got no answer; `undefined` while reachable. */
  lastError(): string | undefined;
}

/** No answer at all: the server is down, slow, or answers something other than its API. */
function noAnswer(err: unknown): boolean {
  return err instanceof QueryError && (err.kind === 'unavailable' || err.kind === 'timeout');
}

/**
 * Wraps a source so readiness can read how its queries fare. A query the server answered with
 * an error (bad PromQL) still proves it reachable; a refused connection or a timeout does not.
 * Unreachable until the first answer.
 *
 * @example
 * ```ts
 * const watched = watchReachability(createPrometheusSource({ url }));
 * const checks = { source: () => watched.reachable() };
 * ```
 */
export function watchReachability(inner: QuerySource): WatchedSource {
  let ok = false;
  let why: string | undefined = 'no query answered yet';
  const watch = <T>(p: Promise<T>): Promise<T> =>
    p.then(
      (value) => {
        ok = true;
        why = undefined;
        return value;
      },
      (err: unknown) => {
        if (noAnswer(err)) {
          ok = false;
          why = errorMessage(err);
        } else {
          ok = true;
          why = undefined;
        }
        throw err;
      },
    );
  const series = inner.series?.bind(inner);
  const targets = inner.targets?.bind(inner);
  const source: QuerySource = {
    instant: (expr, time, opts) => watch(inner.instant(expr, time, opts)),
    range: (expr, start, end, stepMs, opts) => watch(inner.range(expr, start, end, stepMs, opts)),
    ...(series && { series: (matchers, opts) => watch(series(matchers, opts)) }),
    ...(targets && { targets: (opts) => watch(targets(opts)) }),
  };
  return { source, reachable: () => ok, lastError: () => why };
}
