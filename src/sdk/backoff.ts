/** The one exponential backoff: the SDK's retries, and the server's own (engine worker restarts, the alert outbox). */

/**
 * The wait before retry number `attempt` (0 for the first): `baseMs × 2^attempt`, capped at
 * `maxMs`. With `random`, scaled by a random factor in [0.5, 1), so many clients that failed
 * together do not come back together; without it, exact (one server's own retries).
 *
 * @example
 * ```ts
 * backoffDelay(2, 300, 10_000, Math.random); // between 600 and 1 200
 * backoffDelay(3, 100, 10_000); // 800
 * ```
 */
export function backoffDelay(
  attempt: number,
  baseMs: number,
  maxMs: number,
  random?: () => number,
): number {
  // 2^30 × any sane base is past every cap; a larger exponent only risks Infinity × 0.
  const full = Math.min(maxMs, baseMs * 2 ** Math.min(attempt, 30));
  return random ? Math.round(full * (0.5 + random() / 2)) : full;
}
