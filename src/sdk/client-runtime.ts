/** The clock, timers and randomness the client uses, injectable so tests never wait on real time. */

/** What the client needs from its surroundings. */
export interface ClientRuntime {
  /** Waits `ms`; rejects with the signal's reason when it aborts first. */
  sleep(ms: number, signal?: AbortSignal): Promise<void>;
  /** Calls `fn` after `ms`; answers a cancel. */
  timer(fn: () => void, ms: number): () => void;
  /** In [0, 1), for jitter. */
  random(): number;
  /** ms since the epoch. */
  now(): number;
}

/**
 * The platform's timers, `Math.random` and `Date.now`.
 *
 * @example
 * ```ts
 * await platformRuntime.sleep(100, signal);
 * ```
 */
export const platformRuntime: ClientRuntime = {
  sleep: (ms, signal) =>
    new Promise<void>((resolve, reject) => {
      if (signal?.aborted) return reject(signal.reason);
      const onAbort = () => {
        clearTimeout(id);
        reject(signal?.reason);
      };
      const id = setTimeout(() => {
        signal?.removeEventListener('abort', onAbort);
        resolve();
      }, ms);
      signal?.addEventListener('abort', onAbort, { once: true });
    }),
  timer: (fn, ms) => {
    const id = setTimeout(fn, ms);
    return () => clearTimeout(id);
  },
  random: Math.random,
  now: Date.now,
};
