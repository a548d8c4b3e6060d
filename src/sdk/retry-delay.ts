/** How long to wait before trying again: jittered exponential backoff, or the server's `Retry-After`. */

/**
 * The wait before retry number `attempt` (0 for the first): `baseMs × 2^attempt`, capped at
 * `maxMs`, then scaled by a random factor in [0.5, 1) so many clients that failed together do
 * not come back together.
 *
 * @example
 * ```ts
 * backoffDelay(2, 300, 10_000, Math.random); // between 600 and 1 200
 * ```
 */
export function backoffDelay(
  attempt: number,
  baseMs: number,
  maxMs: number,
  random: () => number,
): number {
  const full = Math.min(maxMs, baseMs * 2 ** attempt);
  return Math.round(full * (0.5 + random() / 2));
}

/**
 * Reads a `Retry-After` header, seconds (`120`) or an HTTP date, as ms from `nowMs`; `undefined`
 * when absent or unreadable. A date in the past means now (0).
 *
 * @example
 * ```ts
 * retryAfterDelay('2', Date.now()); // 2 000
 * retryAfterDelay('Wed, 21 Oct 2026 07:28:00 GMT', Date.now());
 * ```
 */
export function retryAfterDelay(header: string | null, nowMs: number): number | undefined {
  if (header === null) return undefined;
  const text = header.trim();
  if (/^\d+$/.test(text)) return Number(text) * 1000;
  const at = Date.parse(text);
  return Number.isNaN(at) ? undefined : Math.max(0, at - nowMs);
}
