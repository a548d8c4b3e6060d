/** Timers whose clock moves only when a test says so: loops run their slots with no waiting. */
import type { TimerHandle, Timers } from '../../src/server/schedule/index.js';

interface Pending {
  readonly id: number;
  readonly at: number;
  readonly callback: () => void;
}

/** {@link Timers} plus the handles a test turns. */
export interface ManualTimers extends Timers {
  /** Timers not yet fired. */
  readonly pending: number;
  /** When the earliest pending timer fires, or null. */
  nextAt(): number | null;
  /**
   * Moves the clock forward by `ms`, firing each timer that comes due, in time order, at its
   * own time, and letting promise callbacks run after each one.
   */
  advance(ms: number): Promise<void>;
  /** Fires the earliest pending timer, moving the clock to its time if that is later. */
  runNext(): Promise<void>;
  /** Moves the clock forward by `ms` without firing anything, as a busy event loop would. */
  stall(ms: number): void;
}

/** Lets already-settled promise chains run their callbacks. */
async function settle(): Promise<void> {
  for (let i = 0; i < 20; i++) await Promise.resolve();
}

/**
 * A manual clock starting at `startMs`.
 *
 * @example
 * ```ts
 * const timers = manualTimers(Date.UTC(2026, 10, 24));
 * const loop = new ScrapeLoop(target, { store, timers });
 * loop.start();
 * await timers.runNext(); // the first slot's scrape has started
 * ```
 */
export function manualTimers(startMs: number): ManualTimers {
  let now = startMs;
  let seq = 0;
  const queue: Pending[] = [];
  const earliest = (): Pending | undefined =>
    queue.reduce<Pending | undefined>(
      (a, b) => (a === undefined || b.at < a.at || (b.at === a.at && b.id < a.id) ? b : a),
      undefined,
    );
  const fire = async (p: Pending): Promise<void> => {
    // Work that finished before this timer is due must be seen as finished.
    await settle();
    const i = queue.indexOf(p);
    if (i < 0) return; // cleared meanwhile
    queue.splice(i, 1);
    now = Math.max(now, p.at);
    p.callback();
    await settle();
  };
  return {
    now: () => now,
    setTimeout(callback, delayMs): TimerHandle {
      const p = { id: ++seq, at: now + Math.max(0, delayMs), callback };
      queue.push(p);
      return p.id;
    },
    clearTimeout(handle) {
      const i = queue.findIndex((p) => p.id === handle);
      if (i >= 0) queue.splice(i, 1);
    },
    get pending() {
      return queue.length;
    },
    nextAt: () => earliest()?.at ?? null,
    async advance(ms) {
      const until = now + ms;
      for (let p = earliest(); p !== undefined && p.at <= until; p = earliest()) await fire(p);
      now = until;
      await settle();
    },
    async runNext() {
      const p = earliest();
      if (p) await fire(p);
    },
    stall(ms) {
      now += ms;
    },
  };
}
