/** `createClient`: the typed reader of a KPI server's API v1. */

import { type ClientRuntime, platformRuntime } from './client-runtime.js';
import { clientTransport } from './client-transport.js';
import type {
  ClientOptions,
  HistoryOptions,
  KpiLightsClient,
  PolicyDocument,
} from './client-types.js';
import { KpiLightsError } from './errors/kpi-lights-error.js';
import { getJson } from './get-json.js';
import type {
  AlertInfo,
  KpiBudgetHistory,
  KpiHistory,
  KpiReading,
  PolicyVersionInfo,
  Silence,
  TargetHealth,
} from './types.js';
import { watchStream } from './watch-stream.js';

/** A history bound as the server reads it: RFC 3339, which means the same for every date. */
function timeParam(name: string, value: Date | number | string | undefined): string | undefined {
  if (value === undefined || typeof value === 'string') return value;
  const ms = typeof value === 'number' ? value : value.getTime();
  if (!Number.isFinite(ms)) throw new KpiLightsError(`history: "${name}" is not a valid time`);
  return new Date(ms).toISOString();
}

function stepParam(step: number | string | undefined): string | undefined {
  if (step === undefined || typeof step === 'string') return step;
  if (!(Number.isFinite(step) && step > 0)) {
    throw new KpiLightsError(`history: "step" must be a positive number of ms, got ${step}`);
  }
  return String(Math.round(step));
}

/**
 * Builds a client with an explicit runtime (clock, timers, randomness); `createClient` uses the
 * platform's. Tests pass their own so nothing waits on real time.
 *
 * @example
 * ```ts
 * const client = createClientWith({ baseUrl }, { ...platformRuntime, sleep: async () => {} });
 * ```
 */
export function createClientWith(options: ClientOptions, runtime: ClientRuntime): KpiLightsClient {
  const transport = clientTransport(options, runtime);
  const kpiPath = (id: string) => `api/v1/kpis/${encodeURIComponent(id)}`;

  return {
    kpis: (o) => getJson<KpiReading[]>(transport, 'api/v1/kpis', {}, o?.signal),
    kpi: (id, o) => getJson<KpiReading>(transport, kpiPath(id), {}, o?.signal),
    history: (id, o: HistoryOptions = {}) =>
      getJson<KpiHistory>(
        transport,
        `${kpiPath(id)}/history`,
        {
          from: timeParam('from', o.from),
          to: timeParam('to', o.to),
          step: stepParam(o.step),
          group: o.group,
        },
        o.signal,
      ),
    budgetHistory: (id, o) =>
      getJson<KpiBudgetHistory>(transport, `${kpiPath(id)}/budget`, {}, o?.signal),
    targets: (o) => getJson<TargetHealth[]>(transport, 'api/v1/targets', {}, o?.signal),
    policy: (o) => getJson<PolicyDocument>(transport, 'api/v1/policy', {}, o?.signal),
    policyVersions: (o) =>
      getJson<PolicyVersionInfo[]>(transport, 'api/v1/policy/versions', {}, o?.signal),
    alerts: (o) => getJson<AlertInfo[]>(transport, 'api/v1/alerts', {}, o?.signal),
    silences: (o) => getJson<Silence[]>(transport, 'api/v1/silences', {}, o?.signal),
    watch: (o) => watchStream(transport, o),
  };
}

/**
 * Creates a client for a KPI server. It only reads (GET), so every request may be retried.
 *
 * @example
 * ```ts
 * const client = createClient({ baseUrl: 'https://kpi.example.gov', token: process.env.KPI_TOKEN });
 * const readings = await client.kpis();
 * for await (const event of client.watch({ kpis: ['efile-error-rate'], signal })) {
 *   if (event.type === 'kpi' && isActionable(event.data)) console.log(event.data.status);
 * }
 * ```
 */
export function createClient(options: ClientOptions): KpiLightsClient {
  return createClientWith(options, platformRuntime);
}
