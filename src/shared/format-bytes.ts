/** Byte counts as people read limits: in binary units, exact. */

/**
 * `1048576` → `1 MiB`, `1500` → `1500 B`: a unit is used only when it divides the count, so a
 * limit reads exactly as it was set.
 *
 * @example
 * ```ts
 * formatBytes(32 * 1024 * 1024); // '32 MiB'
 * ```
 */
export function formatBytes(n: number): string {
  const units = ['B', 'KiB', 'MiB', 'GiB'];
  let u = 0;
  while (u < units.length - 1 && n >= 1024 && n % 1024 === 0) {
    n /= 1024;
    u++;
  }
  return `${n} ${units[u]}`;
}
