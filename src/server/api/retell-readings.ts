/** Keeps stream viewers' copies of unchanged readings from passing their `staleAfter` while the stream lives. */
import type { KpiReading } from '../../sdk/types.js';
import type { SseHub } from './sse-hub.js';
import { publishEvent } from './stream.js';

/** Options of {@link retellSteadyReadings}. */
export interface RetellOptions {
  readonly hub: SseHub;
  /** Subscribes to changed readings (what the stream already tells); answers an unsubscribe. */
  readonly onReading: (listener: (reading: KpiReading) => void) => () => void;
  /** Every current reading. */
  readonly readings: () => readonly KpiReading[];
  /** The evaluation interval, ms, read on every tick so a policy change applies. */
  readonly intervalMs: () => number;
  readonly now?: () => number;
}

/**
 * The stream tells only changes, so a steady KPI's last `kpi` event ages while its value holds.
 * Every half interval this tells a reading again when the copy viewers hold would pass its
 * `staleAfter` within an interval and a later round has renewed it. A viewer's copy then goes
 * stale only when the server stops evaluating or the stream is lost, which is what stale means.
 * Answers a function that stops.
 *
 * @example
 * ```ts
 * const stop = retellSteadyReadings({ hub, onReading: (l) => evaluator.onReading(l),
 *   readings: () => evaluator.readings(), intervalMs: () => 15_000 });
 * ```
 */
export function retellSteadyReadings(options: RetellOptions): () => void {
  const { hub, readings, intervalMs } = options;
  const now = options.now ?? Date.now;
  const told = new Map<string, number>();
  const unsubscribe = options.onReading((r) => told.set(r.id, Date.parse(r.staleAfter)));
  let timer: ReturnType<typeof setTimeout> | undefined;
  const tick = () => {
    const interval = intervalMs();
    if (hub.stats.clients > 0) {
      for (const r of readings()) {
        const renewed = Date.parse(r.staleAfter);
        const held = told.get(r.id) ?? Number.NEGATIVE_INFINITY;
        if (held <= now() + interval && renewed > held) {
          told.set(r.id, renewed);
          publishEvent(hub, 'kpi', r);
        }
      }
    }
    timer = setTimeout(tick, Math.max(interval / 2, 50));
    timer.unref?.();
  };
  timer = setTimeout(tick, Math.max(intervalMs() / 2, 50));
  timer.unref?.();
  return () => {
    clearTimeout(timer);
    unsubscribe();
  };
}
