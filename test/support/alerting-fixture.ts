/** Test scaffolding for the alert core: a policy, readings, recording channels, a manual clock. */
import type { KpiReading } from '../../src/sdk/types.js';
import { type AlertCore, createAlerting } from '../../src/server/alerts/create-alerting.js';
import type { Notification } from '../../src/server/alerts/notification.js';
import type { Channel, ChannelSend } from '../../src/server/alerts/outbox.js';
import type { ServerDatabase } from '../../src/server/database/index.js';
import type { AlertRule, KpiDefinition, Policy, Receiver } from '../../src/server/policy/types.js';
import type { Timers } from '../../src/server/schedule/index.js';
import type { QuerySource } from '../../src/server/source/query-source.js';

export const KPI: KpiDefinition = {
  id: 'efile-error-rate',
  title: 'E-file error rate',
  description: undefined,
  query: 'efile_errors',
  unit: 'percent',
  thresholds: { warning: 0.01, critical: 0.03 },
  direction: 'higher-is-worse',
  objective: undefined,
  budgetWindowMs: 30 * 86_400_000,
  by: [],
  runbook: 'https://runbooks.example.gov/efile',
};

export function ruleOf(over: Partial<AlertRule> = {}): AlertRule {
  return {
    name: 'EfileErrors',
    condition: { kind: 'kpi', kpi: KPI.id, when: 'critical' },
    forMs: 60_000,
    keepFiringForMs: 0,
    noData: 'hold',
    severity: 'critical',
    labels: {},
    summary: '{{ $kpi }} at {{ $value }}',
    description: undefined,
    runbook: undefined,
    notify: ['oncall'],
    ...over,
  };
}

export function receiverOf(over: Partial<Receiver> = {}): Receiver {
  return {
    name: 'oncall',
    email: undefined,
    webhook: { url: 'http://127.0.0.1:1/hook', headers: {}, secret: undefined },
    alertmanager: undefined,
    rateLimit: undefined,
    timing: {
      groupBy: ['alertname'],
      groupWaitMs: 30_000,
      groupIntervalMs: 300_000,
      repeatIntervalMs: 4 * 3_600_000,
    },
    ...over,
  };
}

export function policyWith(
  rules: AlertRule[],
  receivers: Receiver[] = [receiverOf()],
  kpis = [KPI],
): Policy {
  return {
    scrape: {
      intervalMs: 15_000,
      timeoutMs: 10_000,
      limits: {
        bodySizeLimit: 0,
        sampleLimit: 0,
        labelLimit: 0,
        labelNameLengthLimit: 0,
        labelValueLengthLimit: 0,
        seriesLimit: 0,
      },
    },
    targets: [],
    kpis,
    alerts: rules,
    receivers,
    route: {
      groupBy: ['alertname'],
      groupWaitMs: 30_000,
      groupIntervalMs: 300_000,
      repeatIntervalMs: 4 * 3_600_000,
      externalUrl: 'https://kpi.example.gov/',
    },
    auth: { read: 'public', tokens: [] },
    cors: { origins: [] },
    evaluation: { intervalMs: 15_000 },
    history: { retentionMs: 35 * 86_400_000, from: 'database' },
    governance: { twoPerson: false },
    source: { kind: 'embedded' },
    storage: { retentionMs: 15 * 86_400_000, maxBytes: 0 },
  };
}

/** A reading of `kpi` with `value` (null: no data), its status judged by the thresholds. */
export function readingOf(
  value: number | null,
  kpi: KpiDefinition = KPI,
  over: Partial<KpiReading> = {},
): KpiReading {
  const t = kpi.thresholds;
  const status =
    value === null
      ? 'unknown'
      : value >= t.critical
        ? 'critical'
        : value >= t.warning
          ? 'warning'
          : 'ok';
  return {
    id: kpi.id,
    title: kpi.title,
    unit: kpi.unit,
    direction: kpi.direction,
    thresholds: t,
    value,
    status,
    evaluatedAt: '',
    policyVersion: 1,
    stale: false,
    staleAfter: '',
    ...over,
  };
}

/** One delivered message: the channel, when, and its notices (more than one for a digest). */
export interface Delivered {
  readonly channel: Channel;
  readonly at: number;
  readonly notices: readonly Notification[];
}

/** Channels that record what they get; `down` makes them throw. */
export function recordingChannels(timers: Timers) {
  const delivered: Delivered[] = [];
  const state = { down: false };
  const record =
    (channel: Channel): ChannelSend =>
    async (_r, notices) => {
      if (state.down) throw new Error('connection refused');
      delivered.push({ channel, at: timers.now(), notices });
    };
  return {
    delivered,
    state,
    send: {
      email: record('email'),
      webhook: record('webhook'),
      alertmanager: record('alertmanager'),
    },
  };
}

export const noSource: QuerySource = {
  instant: async () => ({ resultType: 'vector', result: [] }),
  range: async () => ({ resultType: 'matrix', result: [] }),
};

/** The core over `db`, started. */
export function startAlerting(
  db: ServerDatabase,
  policy: Policy,
  timers: Timers,
  send: Readonly<Record<Channel, ChannelSend>>,
  source: QuerySource = noSource,
): AlertCore {
  const core = createAlerting({
    database: db,
    policy,
    policyVersion: 1,
    source,
    send,
    timers,
    report: () => {},
  });
  core.start();
  return core;
}
