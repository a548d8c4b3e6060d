/** The demo's management example: resizes the e-file worker pool from KPI readings read through the SDK. */
import { createClient, type KpiLightsClient, type KpiReading } from '../src/sdk/index.js';
import { decideScaling, initialScaling, type ScalingRules } from './scaling-decision.js';

/** The demo's rules: latency adds workers, errors block shrinking, 1 to 8 workers. */
export const DEMO_SCALING: ScalingRules = {
  scaleOn: 'efile-latency',
  holdOn: ['efile-error-rate'],
  minWorkers: 1,
  maxWorkers: 8,
  upAfter: 2,
  downAfter: 4,
};

/** Options of {@link runAutoscaler}. */
export interface AutoscalerOptions {
  /** The KPI server, e.g. `http://127.0.0.1:8100`. */
  readonly kpiUrl: string;
  /** The pool's knob, e.g. `http://127.0.0.1:8101/_knobs/workers`. */
  readonly poolUrl: string;
  readonly rules?: ScalingRules;
  /** Where each decision is written, one line each. */
  readonly log: (line: string) => void;
  /** Stops the autoscaler. */
  readonly signal: AbortSignal;
  /** A client of your own (a token, other retry settings). Default one for `kpiUrl`. */
  readonly client?: KpiLightsClient;
  readonly now?: () => number;
}

async function poolSize(poolUrl: string, signal: AbortSignal): Promise<number> {
  const res = await fetch(poolUrl, { signal });
  if (!res.ok) throw new Error(`${poolUrl} answered ${res.status}`);
  return ((await res.json()) as { workers: number }).workers;
}

async function resize(poolUrl: string, workers: number, signal: AbortSignal): Promise<void> {
  const res = await fetch(poolUrl, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ workers }),
    signal,
  });
  if (!res.ok) throw new Error(`${poolUrl} answered ${res.status}: ${await res.text()}`);
}

const shown = (r: KpiReading) =>
  `${r.id}=${r.value === null ? 'none' : Number(r.value.toPrecision(3))} (${r.status}, policy v${r.policyVersion})`;

/**
 * Watches the rules' KPIs through the SDK and resizes the pool with hysteresis, logging every
 * decision with the reading's value, status and policy version, and every refusal to act on a
 * stale or unknown reading. Returns when `signal` aborts.
 *
 * @example
 * ```ts
 * const stop = new AbortController();
 * await runAutoscaler({ kpiUrl: 'http://127.0.0.1:8100',
 *   poolUrl: 'http://127.0.0.1:8101/_knobs/workers', log: console.log, signal: stop.signal });
 * ```
 */
export async function runAutoscaler(options: AutoscalerOptions): Promise<void> {
  const { poolUrl, log, signal } = options;
  const rules = options.rules ?? DEMO_SCALING;
  const now = options.now ?? Date.now;
  const client = options.client ?? createClient({ baseUrl: options.kpiUrl });
  const stamp = () => new Date(now()).toISOString();
  let state = initialScaling(await poolSize(poolUrl, signal));
  log(
    `${stamp()} start: ${state.workers} workers (${rules.minWorkers}..${rules.maxWorkers}); ` +
      `${rules.scaleOn} adds after ${rules.upAfter} breaches, shrinks after ${rules.downAfter} healthy readings`,
  );

  const judge = async (reading: KpiReading) => {
    const decision = decideScaling(state, reading, rules, now());
    const before = state.workers;
    if (decision.action === 'up' || decision.action === 'down') {
      try {
        await resize(poolUrl, decision.state.workers, signal);
      } catch (err) {
        if (signal.aborted) return;
        log(`${stamp()} could not resize to ${decision.state.workers}: ${String(err)}`);
        return;
      }
    }
    state = decision.state;
    const move = before === state.workers ? `${before}` : `${before}→${state.workers}`;
    log(`${stamp()} ${decision.action} workers ${move}: ${shown(reading)}; ${decision.reason}`);
  };

  const kpis = [rules.scaleOn, ...rules.holdOn];
  for await (const event of client.watch({ kpis, signal })) {
    if (event.type === 'snapshot') for (const r of event.data.kpis) await judge(r);
    else if (event.type === 'kpi') await judge(event.data);
    else if (event.type === 'disconnected') {
      log(
        `${stamp()} lost the KPI stream (${event.error.message}); readings held go stale after ` +
          'their staleAfter, and stale readings are refused',
      );
    } else if (event.type === 'connected') log(`${stamp()} the KPI stream is back`);
  }
  log(`${stamp()} stopped with ${state.workers} workers`);
}
