/** Repeated work on aligned slots, never overlapping itself: the rhythm of the scrape loops and the KPI rounds. */
import { nextSlotMs } from './aligned-slots.js';
import { realTimers, type TimerHandle, type Timers } from './timers.js';

/** Options of {@link AlignedSchedule}. */
export interface AlignedScheduleOptions {
  /** Read each time a slot is planned, so a new interval applies from the next slot on. */
  readonly intervalMs: () => number;
  /** Where in each interval the slots sit, ms. Default 0: on whole multiples of the interval. */
  readonly offsetMs?: number;
  /**
   * The work of one slot, given the slot's time. It should settle on its own errors: a
   * rejection that escapes is dropped, so a timer never raises an unhandled rejection.
   */
  readonly work: (slotMs: number) => Promise<unknown>;
  /** Default {@link realTimers}. */
  readonly timers?: Timers;
  /**
   * Told of slots that passed without work: the work of an earlier slot still ran, or the timer
   * fired so late that later slots had passed too.
   */
  readonly onMissed?: (slots: number) => void;
}

/**
 * Runs `work` at `offset + k × interval`. Slots line up across restarts and with other servers,
 * and the rhythm never drifts, because each slot is planned from the clock, not from the last
 * run's end. A slot that comes while the previous work still runs is skipped, never overlapped;
 * a timer that fires late skips the slots it missed rather than firing them in a burst; and no
 * slot ever runs twice.
 *
 * @example
 * ```ts
 * const rounds = new AlignedSchedule({ intervalMs: () => 15_000, work: (t) => evaluate(t) });
 * rounds.start();
 * // on shutdown
 * await rounds.stop();
 * ```
 */
export class AlignedSchedule {
  readonly #options: AlignedScheduleOptions;
  readonly #timers: Timers;
  #timer: TimerHandle | undefined;
  #nextAt: number | null = null;
  #lastSlot = Number.NEGATIVE_INFINITY;
  #inFlight: Promise<unknown> | undefined;

  constructor(options: AlignedScheduleOptions) {
    this.#options = options;
    this.#timers = options.timers ?? realTimers;
  }

  /** When the next slot fires, ms since the epoch; null while stopped. */
  get nextAt(): number | null {
    return this.#nextAt;
  }

  /** Plans the first slot after now. Starting a started schedule does nothing. */
  start(): void {
    if (this.#nextAt === null) this.#arm();
  }

  /** Plans the next slot again, e.g. after the interval changed. Does nothing while stopped. */
  replan(): void {
    if (this.#nextAt === null) return;
    this.#timers.clearTimeout(this.#timer);
    this.#arm();
  }

  /** Cancels the next slot and waits for work in flight. `start` resumes. */
  async stop(): Promise<void> {
    this.#timers.clearTimeout(this.#timer);
    this.#timer = undefined;
    this.#nextAt = null;
    await this.#inFlight;
  }

  #arm(): void {
    const now = this.#timers.now();
    // Strictly after both now and the last slot: never the same slot twice, never one in the past.
    const slot = nextSlotMs(
      Math.max(now, this.#lastSlot) + 1,
      this.#options.intervalMs(),
      this.#options.offsetMs ?? 0,
    );
    this.#nextAt = slot;
    this.#timer = this.#timers.setTimeout(() => this.#fire(slot), slot - now);
  }

  #fire(slot: number): void {
    this.#lastSlot = slot;
    this.#arm();
    const interval = this.#options.intervalMs();
    // Slots between this one and the next planned passed while the timer was late.
    const passed = this.#nextAt === null ? 0 : Math.round((this.#nextAt - slot) / interval) - 1;
    const missed = Math.max(0, passed) + (this.#inFlight ? 1 : 0);
    if (missed > 0) this.#options.onMissed?.(missed);
    if (this.#inFlight) return;
    const run = this.#options
      .work(slot)
      .catch(() => {})
      .finally(() => {
        this.#inFlight = undefined;
      });
    this.#inFlight = run;
  }
}
