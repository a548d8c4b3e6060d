/** The latest reading of each KPI, and the listener told only when one changes. */
import type { KpiReading } from '../../sdk/types.js';
import type { Policy } from '../policy/types.js';
import { sameReading } from './same-reading.js';

/** Hears each reading that differs from the KPI's previous one. */
export type ReadingListener = (reading: KpiReading) => void;

/**
 * Keeps each KPI's latest reading and tells `onReading` of those that differ from the last.
 *
 * @example
 * ```ts
 * const current = new CurrentReadings((r) => hub.publish('kpi', r));
 * current.publish(readings, policy); // tells the changed ones
 * current.get('efile-error-rate');
 * ```
 */
export class CurrentReadings {
  readonly #byId = new Map<string, KpiReading>();
  readonly #onReading: ReadingListener | undefined;

  /** @param onReading hears each reading that differs from its KPI's previous one */
  constructor(onReading: ReadingListener | undefined) {
    this.#onReading = onReading;
  }

  /** Keeps a round's readings of KPIs still in `policy`, and tells each one that changed. */
  publish(readings: readonly KpiReading[], policy: Policy): void {
    const live = new Set(policy.kpis.map((k) => k.id));
    for (const r of readings) {
      // A KPI removed by setPolicy while this round ran must not come back.
      if (!live.has(r.id)) continue;
      const prev = this.#byId.get(r.id);
      this.#byId.set(r.id, r);
      if (prev && sameReading(prev, r)) continue;
      try {
        this.#onReading?.(r);
      } catch {
        // A listener's bug must not stop the loop.
      }
    }
  }

  /** The latest reading of a KPI, if it has one. */
  get(id: string): KpiReading | undefined {
    return this.#byId.get(id);
  }

  /** The latest readings, in the order of `policy`'s KPIs. */
  inOrderOf(policy: Policy): readonly KpiReading[] {
    return policy.kpis.flatMap((k) => this.#byId.get(k.id) ?? []);
  }

  /** Forgets the readings of KPIs not in `ids`. */
  retain(ids: ReadonlySet<string>): void {
    for (const id of this.#byId.keys()) if (!ids.has(id)) this.#byId.delete(id);
  }
}
