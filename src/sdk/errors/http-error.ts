/** The server answered with an error status; carries the status and the RFC 9457 problem body. */
import type { ProblemDetails } from '../types.js';
import { KpiLightsError } from './kpi-lights-error.js';

/**
 * A response with a status outside 200–299. `problem` is the server's problem-details body
 * when it sent one (every kpi-lights error does), else `undefined`.
 *
 * @example
 * ```ts
 * try {
 *   await client.kpi('no-such-kpi');
 * } catch (err) {
 *   if (err instanceof HttpError && err.status === 404) console.log(err.problem?.detail);
 * }
 * ```
 */
export class HttpError extends KpiLightsError {
  override name = 'HttpError';
  /** The HTTP status, e.g. 404. */
  readonly status: number;
  /** The RFC 9457 body, when the server sent `application/problem+json` (or JSON shaped like it). */
  readonly problem: ProblemDetails | undefined;
  /** The response itself; its body has been read. */
  readonly response: Response;

  constructor(response: Response, problem: ProblemDetails | undefined) {
    const why = problem?.detail ?? problem?.title ?? response.statusText;
    super(`${response.status}${why ? ` ${why}` : ''} (GET ${response.url || 'request'})`);
    this.status = response.status;
    this.problem = problem;
    this.response = response;
  }

  /**
   * Reads an error response's body into an `HttpError`; a body that is not a problem leaves
   * `problem` undefined rather than failing.
   *
   * @example
   * ```ts
   * if (!res.ok) throw await HttpError.from(res);
   * ```
   */
  static async from(response: Response): Promise<HttpError> {
    let problem: ProblemDetails | undefined;
    try {
      const body: unknown = JSON.parse(await response.text());
      if (typeof body === 'object' && body !== null && 'status' in body && 'title' in body) {
        problem = body as ProblemDetails;
      }
    } catch {
      // No body, or not JSON: the status alone has to say it.
    }
    return new HttpError(response, problem);
  }
}
