/** The autoscaler's judgement, pure: one KPI reading in, the next pool size and why out. */
import { isActionable, type KpiReading } from '../src/sdk/index.js';

/** How the autoscaler reacts. */
export interface ScalingRules {
  /** The KPI whose breach adds a worker, e.g. `efile-latency`. */
  readonly scaleOn: string;
  /** KPIs that must be `ok` before a worker is taken away, e.g. `efile-error-rate`. */
  readonly holdOn: readonly string[];
  readonly minWorkers: number;
  readonly maxWorkers: number;
  /** Consecutive actionable breaches of `scaleOn` before adding a worker. */
  readonly upAfter: number;
  /** Consecutive healthy readings (every watched KPI `ok`) before removing one. */
  readonly downAfter: number;
}

/** What the autoscaler remembers between readings. */
export interface ScalingState {
  readonly workers: number;
  readonly breaches: number;
  readonly healthy: number;
  /** The last actionable status of each watched KPI. */
  readonly statuses: Readonly<Record<string, KpiReading['status']>>;
}

/** One decision: the new state, what to do, and a sentence for the log. */
export interface ScalingDecision {
  readonly state: ScalingState;
  readonly action: 'up' | 'down' | 'hold' | 'refuse';
  readonly reason: string;
}

/**
 * The starting state for a pool of `workers`.
 *
 * @example
 * ```ts
 * let state = initialScaling(2);
 * ```
 */
export function initialScaling(workers: number): ScalingState {
  return { workers, breaches: 0, healthy: 0, statuses: {} };
}

/**
 * Judges one reading at `now` (ms). A stale or `unknown` reading is refused and changes nothing:
 * old data must not move the pool, in either direction. Consecutive `scaleOn` breaches (warning
 * or critical) add a worker; an `ok` reading of it breaks the run. A breach of a `holdOn` KPI only
 * blocks shrinking (more workers do not cure errors). Consecutive readings with every watched KPI
 * `ok` remove one. The pool stays within min and max.
 *
 * @example
 * ```ts
 * const d = decideScaling(state, reading, rules, Date.now());
 * if (d.action === 'up' || d.action === 'down') await resize(d.state.workers);
 * state = d.state;
 * ```
 */
export function decideScaling(
  state: ScalingState,
  reading: KpiReading,
  rules: ScalingRules,
  now: number,
): ScalingDecision {
  const watched = reading.id === rules.scaleOn || rules.holdOn.includes(reading.id);
  if (!watched) return { state, action: 'hold', reason: `${reading.id} is not watched` };
  if (!isActionable(reading, now)) {
    const why =
      reading.status === 'unknown'
        ? `its status is unknown (${reading.reason ?? 'no reason given'})`
        : reading.stale
          ? 'the server marked it stale (a target behind it is down)'
          : `it is stale since ${reading.staleAfter}`;
    return { state, action: 'refuse', reason: `refusing to act on ${reading.id}: ${why}` };
  }
  const statuses = { ...state.statuses, [reading.id]: reading.status };
  const breach = reading.status !== 'ok';
  const { workers } = state;
  if (breach && reading.id === rules.scaleOn) {
    const breaches = state.breaches + 1;
    if (breaches < rules.upAfter) {
      const next = { ...state, statuses, breaches, healthy: 0 };
      return { state: next, action: 'hold', reason: `breach ${breaches} of ${rules.upAfter}` };
    }
    if (workers >= rules.maxWorkers) {
      const next = { ...state, statuses, breaches, healthy: 0 };
      return { state: next, action: 'hold', reason: `at the maximum of ${rules.maxWorkers}` };
    }
    const next = { workers: workers + 1, breaches: 0, healthy: 0, statuses };
    return { state: next, action: 'up', reason: `${breaches} breaches in a row` };
  }
  if (breach) {
    // Another KPI's breach neither adds to nor breaks a run of breaches of `scaleOn`.
    const next = { ...state, statuses, healthy: 0 };
    return { state: next, action: 'hold', reason: `${reading.id} breaches; not shrinking` };
  }
  const breaches = reading.id === rules.scaleOn ? 0 : state.breaches;
  const allOk = [rules.scaleOn, ...rules.holdOn].every((id) => (statuses[id] ?? 'ok') === 'ok');
  if (!allOk) {
    const next = { ...state, statuses, breaches, healthy: 0 };
    return { state: next, action: 'hold', reason: 'another watched KPI still breaches' };
  }
  const healthy = state.healthy + 1;
  if (healthy < rules.downAfter || workers <= rules.minWorkers) {
    const next = { ...state, statuses, breaches, healthy };
    const why =
      workers <= rules.minWorkers
        ? `at the minimum of ${rules.minWorkers}`
        : `healthy ${healthy} of ${rules.downAfter}`;
    return { state: next, action: 'hold', reason: why };
  }
  const next = { workers: workers - 1, breaches, healthy: 0, statuses };
  return { state: next, action: 'down', reason: `${healthy} healthy readings in a row` };
}
