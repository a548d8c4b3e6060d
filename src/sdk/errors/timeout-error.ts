/** A try took longer than the client's `timeoutMs`. */
import { KpiLightsError } from './kpi-lights-error.js';

/**
 * A request (one try) passed the client's time limit and was aborted. The abort's own error is
 * `cause`. A caller's signal never turns into a `TimeoutError`: that rejects with its reason.
 *
 * @example
 * ```ts
 * catch (err) {
 *   if (err instanceof TimeoutError) console.warn(`no answer in ${err.timeoutMs} ms`);
 * }
 * ```
 */
export class TimeoutError extends KpiLightsError {
  override name = 'TimeoutError';
  /** The limit that was passed, ms. */
  readonly timeoutMs: number;

  constructor(url: string, timeoutMs: number, cause?: unknown) {
    super(`no answer from ${url} within ${timeoutMs} ms`, { cause });
    this.timeoutMs = timeoutMs;
  }
}
