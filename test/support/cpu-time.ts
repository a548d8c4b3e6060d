/** How much CPU a piece of in-process work costs: the bound for "stops early", immune to a busy machine. */

/**
 * Runs `work` and returns its value with the CPU milliseconds this process spent meanwhile (user
 * and system, all threads). For work that runs in this process, CPU time says what it cost even
 * when the machine is busy: wall time also counts the time other processes had the cores, which
 * on a loaded two-core runner is several times the work.
 *
 * @example
 * ```ts
 * const { ms } = await cpuTime(() => parseExposition(hostileText));
 * expect(ms).toBeLessThan(2_000);
 * ```
 */
export async function cpuTime<T>(work: () => T | Promise<T>): Promise<{ value: T; ms: number }> {
  const before = process.cpuUsage();
  const value = await work();
  const used = process.cpuUsage(before);
  return { value, ms: (used.user + used.system) / 1000 };
}
