/** The clock and timers the server's loops run on, injected so tests can drive them without waiting. */

/** An opaque handle from {@link Timers.setTimeout}. */
export type TimerHandle = unknown;

/** Wall-clock time, ms since the epoch. */
export interface Clock {
  now(): number;
}

/** A clock plus one-shot timers: all a loop needs to wait for its next slot. */
export interface Timers extends Clock {
  setTimeout(callback: () => void, delayMs: number): TimerHandle;
  clearTimeout(handle: TimerHandle): void;
}

/**
 * The process's own clock and timers. Each call looks the global up when it runs, not when this
 * module loads, so a test that installs fake timers (`vi.useFakeTimers()`) drives these too.
 * Timers are `unref`ed: a pending slot never keeps the process alive on its own.
 *
 * @example
 * ```ts
 * const handle = realTimers.setTimeout(() => console.log(realTimers.now()), 1_000);
 * realTimers.clearTimeout(handle);
 * ```
 */
export const realTimers: Timers = {
  now: () => Date.now(),
  setTimeout(callback, delayMs) {
    const handle = setTimeout(callback, delayMs);
    // Fake timers may hand back a number, which has no unref.
    (handle as { unref?: () => void }).unref?.();
    return handle;
  },
  clearTimeout(handle) {
    clearTimeout(handle as Parameters<typeof clearTimeout>[0]);
  },
};
