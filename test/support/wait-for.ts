/** Waiting in a test for something another part (a server, a socket) makes true. */

/** Options of {@link waitFor}. */
export interface WaitForOptions {
  /** Gives up after this long, ms. Default 15 000. */
  readonly timeoutMs?: number;
  /** Looks again after this long, ms. Default 10. */
  readonly everyMs?: number;
}

/**
 * Resolves once `check()` is true (or resolves true), looking again every few ms; rejects after
 * the timeout. For conditions set by real I/O (a socket connecting, a child process reloading),
 * where no fake clock can stand in.
 *
 * @example
 * ```ts
 * await waitFor(() => hub.stats.clients === 5);
 * ```
 */
export async function waitFor(
  check: () => boolean | Promise<boolean>,
  options: WaitForOptions = {},
): Promise<void> {
  const { timeoutMs = 15_000, everyMs = 10 } = options;
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) {
      throw new Error(`condition not met within ${timeoutMs / 1000} s`);
    }
    await new Promise((r) => setTimeout(r, everyMs));
  }
}
