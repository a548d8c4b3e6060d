/** Slot arithmetic for repeated work: times of the form `offset + k × interval`. */

/**
 * The first slot time at or after `nowMs`: the next `t` with `t ≡ offsetMs (mod intervalMs)`.
 *
 * @example
 * ```ts
 * nextSlotMs(10_500, 1_000, 200); // 11_200
 * nextSlotMs(10_500, 1_000); // 11_000
 * ```
 */
export function nextSlotMs(nowMs: number, intervalMs: number, offsetMs = 0): number {
  const into = (((nowMs - offsetMs) % intervalMs) + intervalMs) % intervalMs;
  return into === 0 ? nowMs : nowMs + (intervalMs - into);
}
