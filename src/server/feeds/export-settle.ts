/** How far behind now each export feed ends, so a resume from its end misses nothing still being written. */
import type { Policy } from '../policy/types.js';

/**
 * A sample is stamped when its scrape starts and stored when the scrape ends, at most the
 * target's timeout later; a KPI reading is stamped when its round starts and stored when the
 * round ends, at most an evaluation interval later. Ending each feed that far back means a
 * later export with `since` at this one's end finds every record the first could not yet see.
 *
 * @example
 * ```ts
 * exportSettleMs(policy); // { samples: 10_000, kpis: 15_000 }
 * ```
 */
export function exportSettleMs(policy: Policy): { samples: number; kpis: number } {
  return {
    samples: Math.max(0, ...policy.targets.map((t) => t.timeoutMs)),
    kpis: policy.evaluation.intervalMs,
  };
}
