/** Keeps stream viewers' copies of unchanged readings from passing their `staleAfter` while the stream lives. */
import type { KpiReading, StreamEvents } from '../../../sdk/types.js';
import { realTimers, type TimerHandle, type Timers } from '../../schedule/index.js';
import type { SseHub } from './sse-hub.js';

/** A running retell: told each change the stream sent, stopped on shutdown. */
export interface ReadingRetell {
  /** Notes a reading the stream just told as a change, so it is not told again too soon. */
  told(reading: KpiReading): void;
  stop(): void;
}

/** Options of {@link retellSteadyReadings}. */
export interface RetellOptions {
  readonly hub: SseHub<StreamEvents>;
  /** Every current reading. */
  readonly readings: () => readonly KpiReading[];
  /** The evaluation interval, ms, read on every tick so a policy change applies. */
  readonly intervalMs: () => number;
  /** Clock and timers of the ticks. Default the real ones. */
  readonly timers?: Timers;
}

/**
 * The stream tells only changes, so a steady KPI's last `kpi` event ages while its value holds.
 * Every half interval this tells a reading again when the copy viewers hold would pass its
 * `staleAfter` within an interval and a later round has renewed it. A viewer's copy then goes
 * stale only when the server stops evaluating or the stream is lost, which is what stale means.
 * The stream's change path calls `told` with each reading it sends.
 *
 * @example
 * ```ts
 * const retell = retellSteadyReadings({ hub, readings: () => evaluator.readings(), intervalMs: () => 15_000 });
 * // in the evaluator's onReading: hub.publish('kpi', reading); retell.told(reading);
 * ```
 */
export function retellSteadyReadings(options: RetellOptions): ReadingRetell {
  const { hub, readings, intervalMs } = options;
  const timers = options.timers ?? realTimers;
  const now = () => timers.now();
  const told = new Map<string, number>();
  let timer: TimerHandle | undefined;
  const tick = () => {
    const interval = intervalMs();
    if (hub.stats.clients > 0) {
      for (const r of readings()) {
        const renewed = Date.parse(r.staleAfter);
        const held = told.get(r.id) ?? Number.NEGATIVE_INFINITY;
        if (held <= now() + interval && renewed > held) {
          told.set(r.id, renewed);
          hub.publish('kpi', r);
        }
      }
    }
    timer = timers.setTimeout(tick, Math.max(interval / 2, 50));
  };
  timer = timers.setTimeout(tick, Math.max(intervalMs() / 2, 50));
  return {
    told: (r) => told.set(r.id, Date.parse(r.staleAfter)),
    stop: () => timers.clearTimeout(timer),
  };
}
