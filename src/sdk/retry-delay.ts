/** How long the server asks a client to wait before trying again: its `Retry-After`. */

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
