/** The request never got an answer: refused, reset, DNS, or the stream broke mid-way. */
import { KpiLightsError } from './kpi-lights-error.js';

/**
 * The server could not be reached or the connection broke. The platform's error is `cause`.
 *
 * @example
 * ```ts
 * catch (err) {
 *   if (err instanceof NetworkError) console.warn('KPI server unreachable:', err.cause);
 * }
 * ```
 */
export class NetworkError extends KpiLightsError {
  override name = 'NetworkError';
  constructor(url: string, cause: unknown) {
    const why = cause instanceof Error ? cause.message : String(cause);
    super(`cannot reach ${url}: ${why}`, { cause });
  }
}
