/** A minimal in-memory policy around a list of KPIs, for evaluator tests that skip the YAML. */
import type { KpiDefinition, Policy } from '../../src/server/policy/types.js';

/**
 * `kpis` with a 15 s scrape, no targets, alerts or limits, public reads; evaluated every
 * `intervalMs`; `more` replaces whole sections (alerts, receivers, route).
 */
export function policyOf(
  kpis: KpiDefinition[],
  intervalMs = 15_000,
  more: Partial<Policy> = {},
): Policy {
  return {
    scrape: {
      intervalMs: 15_000,
      timeoutMs: 10_000,
      limits: {
        bodySizeLimit: 0,
        sampleLimit: 0,
        seriesLimit: 0,
        labelLimit: 0,
        labelNameLengthLimit: 0,
        labelValueLengthLimit: 0,
      },
    },
    targets: [],
    kpis,
    alerts: [],
    receivers: [],
    route: {
      groupBy: ['alertname'],
      groupWaitMs: 30_000,
      groupIntervalMs: 300_000,
      repeatIntervalMs: 4 * 3_600_000,
      externalUrl: undefined,
    },
    auth: { read: 'public', tokens: [] },
    cors: { origins: [] },
    evaluation: { intervalMs },
    history: { retentionMs: 35 * 86_400_000, from: 'database' },
    governance: { twoPerson: false },
    source: { kind: 'embedded' },
    storage: { retentionMs: 15 * 86_400_000, maxBytes: 0 },
    ...more,
  };
}
