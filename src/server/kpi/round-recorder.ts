/** Writes each evaluation round into KPI history, grouped KPIs per group too, and prunes it now and then. */

import { groupKey } from '../../shared/group-key.js';
import type { KpiHistoryStore, StoredReading } from '../history/kpi-history-store.js';
import type { KpiDefinition } from '../policy/types.js';
import type { KpiOutcome } from './evaluate-kpi.js';

/** How often old history is pruned; once an hour keeps the table bounded at no real cost. */
const PRUNE_EVERY_MS = 3_600_000;

/**
 * Records rounds in history: one row per KPI (group `''`) and one per group of a `by:` KPI, all
 * in one transaction, so a chart never shows half a round.
 *
 * @example
 * ```ts
 * const recorder = new RoundRecorder(history);
 * if (!recorder.record(policy.kpis, outcomes, t, version)) failures++;
 * ```
 */
export class RoundRecorder {
  readonly #history: KpiHistoryStore;
  #lastPrune = Number.NEGATIVE_INFINITY;

  constructor(history: KpiHistoryStore) {
    this.#history = history;
  }

  /** Records one round at `t`; answers false when the write failed (the round still counts). */
  record(
    kpis: readonly KpiDefinition[],
    outcomes: readonly KpiOutcome[],
    t: number,
    policyVersion: number,
  ): boolean {
    const stored: StoredReading[] = [];
    kpis.forEach((kpi, i) => {
      const out = outcomes[i];
      const base = { kpi: kpi.id, t, policyVersion };
      stored.push({ ...base, group: '', value: out.value, status: out.status });
      for (const g of out.groups ?? []) {
        stored.push({
          ...base,
          group: groupKey(g.labels, kpi.by),
          value: g.value,
          status: g.status,
        });
      }
    });
    try {
      this.#history.record(stored);
      if (t - this.#lastPrune >= PRUNE_EVERY_MS) {
        this.#lastPrune = t;
        this.#history.prune(t);
      }
      return true;
    } catch {
      // A full disk must not stop the lights: the readings still go out, the failure is counted.
      return false;
    }
  }
}
