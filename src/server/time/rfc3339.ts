/** RFC 3339 timestamps as Prometheus's HTTP API reads them: the one pattern every API parameter uses. */

// Go's time.RFC3339Nano layout, which Prometheus parses API times with: a literal upper-case
// `T` between date and time (no space, which RFC 3339 only allows as a note), a fraction of at
// most nine digits, and `Z` or a numeric offset, which is required.
const RFC3339 = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d{1,9})?(?:Z|[+-]\d{2}:\d{2})$/;

/**
 * Epoch milliseconds of an RFC 3339 timestamp, or `undefined` when `text` is not one (each
 * caller words its own error).
 *
 * @example
 * ```ts
 * parseRfc3339('2023-11-14T22:13:20.250Z'); // 1_700_000_000_250
 * parseRfc3339('2023-11-14 22:13:20Z'); // undefined
 * ```
 */
export function parseRfc3339(text: string): number | undefined {
  if (!RFC3339.test(text)) return undefined;
  const ms = Date.parse(text);
  return Number.isNaN(ms) ? undefined : ms;
}
