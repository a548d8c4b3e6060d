/** Where in its interval each target is scraped, spread by a hash of the target so targets don't all fire at once. */

/** FNV-1a, 32 bits: cheap, stable across runs and processes. */
function fnv1a(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

/**
 * The target's slot inside its interval, in ms: a hash of its identity (URL and labels) modulo
 * the interval, as Prometheus spreads targets. Deterministic, so a restart keeps the rhythm.
 *
 * @example
 * ```ts
 * spreadOffsetMs('http://a:80/metrics {job="a"}', 15_000); // e.g. 8_231, every time
 * ```
 */
export function spreadOffsetMs(targetId: string, intervalMs: number): number {
  return fnv1a(targetId) % intervalMs;
}
