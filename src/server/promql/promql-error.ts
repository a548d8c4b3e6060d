/** The one error type the PromQL parser and evaluator throw. */

/**
 * Why a query failed. `parse`: the text is not PromQL; `type`: it parses but its types do not
 * fit (a range vector where an instant vector belongs, say); `unsupported`: valid PromQL this
 * engine does not evaluate (native histograms, experimental functions); `execution`: it ran and
 * failed (duplicate series after a match, say); `limit`: it would hold too many samples;
 * `timeout` / `canceled`: it was stopped while it ran (see `query-stop.ts`).
 */
export type PromqlErrorKind =
  | 'parse'
  | 'type'
  | 'unsupported'
  | 'execution'
  | 'limit'
  | 'timeout'
  | 'canceled';

/**
 * A failed PromQL parse or evaluation. `position` is the character offset in the query where
 * the problem starts, when known.
 * @example
 * try { engine.instant('rate(x[5m]', Date.now()) }
 * catch (e) { if (e instanceof PromqlError) console.log(e.kind, e.position, e.message) }
 */
export class PromqlError extends Error {
  override readonly name = 'PromqlError';
  readonly kind: PromqlErrorKind;
  readonly position: number | undefined;

  constructor(
    kind: PromqlErrorKind,
    message: string,
    options?: { position?: number; cause?: unknown },
  ) {
    super(message, options?.cause === undefined ? undefined : { cause: options.cause });
    this.kind = kind;
    this.position = options?.position;
  }
}
