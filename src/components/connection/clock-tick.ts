/** Redraws an element on a slow tick while it is on the page, so "updated 2 min ago" stays true. */
import type { ReactiveController, ReactiveControllerHost } from '../element/kpi-element.js';

/** How often relative times are redrawn: they speak in minutes, so a quarter of one is enough. */
export const CLOCK_TICK_MS = 15_000;

/**
 * A controller that asks its host to update every {@link CLOCK_TICK_MS} while connected.
 *
 * @example
 * ```ts
 * class MyElement extends KpiElement {
 *   readonly #clock = new ClockTick(this);
 * }
 * ```
 */
export class ClockTick implements ReactiveController {
  #timer: ReturnType<typeof setInterval> | undefined;

  constructor(private readonly host: ReactiveControllerHost) {
    host.addController(this);
  }

  hostConnected(): void {
    this.#timer = setInterval(() => this.host.requestUpdate(), CLOCK_TICK_MS);
  }

  hostDisconnected(): void {
    clearInterval(this.#timer);
    this.#timer = undefined;
  }
}
