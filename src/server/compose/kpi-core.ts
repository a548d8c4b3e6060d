/** The one place a reading's listeners are wired: the evaluator, the live stream, its re-telling and the alerts. */
import type { StreamEvents } from '../../sdk/types.js';
import type { AlertCore, Alerting } from '../alerts/index.js';
import { type ReadingRetell, retellSteadyReadings } from '../api/stream/retell-readings.js';
import type { SseHub } from '../api/stream/sse-hub.js';
import { createKpiHub } from '../api/stream/stream.js';
import type { KpiHistoryStore } from '../history/index.js';
import { createKpiEvaluator, type KpiEvaluator } from '../kpi/index.js';
import type { Policy } from '../policy/types.js';
import { realTimers, type Timers } from '../schedule/index.js';
import type { QuerySource } from '../source/index.js';

/** Options of {@link createKpiCore}. */
export interface KpiCoreOptions {
  readonly source: QuerySource;
  readonly history: KpiHistoryStore;
  readonly policy: Policy;
  readonly policyVersion: number;
  /**
   * The alerts. A full core (`AlertCore`) hears every round; a read-only `Alerting` (a test's
   * stub) only feeds the stream's snapshot. Without one the stream carries no alerts.
   */
  readonly alerts?: AlertCore | Alerting;
  /** The evaluation interval now, for the re-telling; default the start policy's. */
  readonly intervalMs?: () => number;
  /** `--query.timeout`, ms. */
  readonly queryTimeoutMs?: number;
  /** The stream's heartbeat after this much silence, ms. */
  readonly heartbeatMs?: number;
  /** The stream's caps, in total and per client address (`--http.max-streams…`). */
  readonly streamCaps?: { readonly maxClients?: number; readonly maxClientsPerAddress?: number };
  /** Clock and timers of every loop here. Default the real ones. */
  readonly timers?: Timers;
  /** Where a failed alert round, and the selector lint on query alerts, are reported. */
  readonly report?: (message: string, err?: unknown) => void;
}

/** The wired core: the evaluator, the stream hub, and the re-telling's stop. */
export interface KpiCore {
  readonly evaluator: KpiEvaluator;
  readonly hub: SseHub<StreamEvents>;
  readonly retell: ReadingRetell;
}

function isAlertCore(alerts: AlertCore | Alerting | undefined): alerts is AlertCore {
  return alerts !== undefined && 'evaluate' in alerts;
}

/**
 * Builds the evaluator and the stream, and writes down who hears a reading: the live stream
 * hears each change, the re-telling notes it, and the alerts hear every round (a rule's `for`
 * counts time, so a steady critical reading must still move its alert). The server and the
 * test fixtures both build their core here, so what a test sees is what the server wires.
 *
 * @example
 * ```ts
 * const { evaluator, hub, retell } = createKpiCore({ source, history, policy, policyVersion: 1, alerts });
 * evaluator.start();
 * // on shutdown: retell.stop(); hub.close(); await evaluator.stop();
 * ```
 */
export function createKpiCore(options: KpiCoreOptions): KpiCore {
  const { alerts, policy } = options;
  const timers = options.timers ?? realTimers;
  const report = options.report ?? ((message, err) => console.error(message, err ?? ''));
  const hub = createKpiHub({
    readings: () => evaluator.readings(),
    policyVersion: () => evaluator.policyVersion(),
    alerts: alerts && (() => alerts.current()),
    heartbeatMs: options.heartbeatMs,
    ...options.streamCaps,
    now: () => timers.now(),
  });
  // Steady readings are told again before viewers' copies pass their staleAfter.
  const retell = retellSteadyReadings({
    hub,
    readings: () => evaluator.readings(),
    intervalMs: options.intervalMs ?? (() => policy.evaluation.intervalMs),
    timers,
  });
  const evaluator = createKpiEvaluator({
    source: options.source,
    history: options.history,
    policy,
    policyVersion: options.policyVersion,
    queryTimeoutMs: options.queryTimeoutMs,
    timers,
    onReading: (reading) => {
      hub.publish('kpi', reading);
      retell.told(reading);
    },
    // A query alert has no reading to carry the lint's advice: the server's log says it.
    onAlertLint: (rule, warnings) => {
      if (warnings.length === 0) report(`alert ${rule}: its query's selectors match again`);
      for (const w of warnings) report(`alert ${rule}: ${w}`);
    },
    onRound: isAlertCore(alerts)
      ? (readings, nowMs) => {
          alerts.evaluate(readings, nowMs).catch((err) => report('alert round failed:', err));
        }
      : undefined,
  });
  return { evaluator, hub, retell };
}
