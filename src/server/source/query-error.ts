/** The one error type a QuerySource throws, with a kind that maps to Prometheus's API error types. */

/**
 * Why a query failed. `bad_data`: the query or its parameters are wrong; `execution`: it ran and
 * failed; `limit`: it would load too many samples or points; `unsupported`: valid PromQL this
 * engine does not evaluate; `timeout` / `canceled`: it was stopped; `unavailable`: the remote
 * server could not be reached or answered with something other than its API.
 */
export type QueryErrorKind =
  | 'bad_data'
  | 'execution'
  | 'limit'
  | 'unsupported'
  | 'timeout'
  | 'canceled'
  | 'unavailable';

/**
 * A failed query. The original error, when there is one, is kept as `cause`.
 * @example
 * try { await source.instant('rate(x[5m]', Date.now()) }
 * catch (e) { if (e instanceof QueryError && e.kind === 'bad_data') showSyntaxHint(e.message) }
 */
export class QueryError extends Error {
  override readonly name = 'QueryError';
  readonly kind: QueryErrorKind;
  /** Where in the query text a `bad_data` error starts (a character offset), when known. */
  readonly position: number | undefined;

  constructor(
    kind: QueryErrorKind,
    message: string,
    options?: { cause?: unknown; position?: number },
  ) {
    super(message, options?.cause === undefined ? undefined : { cause: options.cause });
    this.kind = kind;
    this.position = options?.position;
  }
}
