/** Turns checked sections into the running `Policy`: defaults applied, durations in ms, secrets read. */

import type { ScrapeLimits } from '../scrape/target-config.js';
import { SCRAPE_DEFAULTS } from '../scrape/target-config.js';
import { DEFAULT_RETENTION_MS } from '../store/disk/retention.js';
import type { CheckedSections } from './schema.js';
import type { AlertRule, NotificationTiming, Policy, Receiver, TargetDefinition } from './types.js';

/** Every default in one place; the README's policy reference quotes these. */
export const DEFAULTS = {
  scrapeIntervalMs: 15_000,
  /** Prometheus's default; shortened to the interval when that is shorter. */
  scrapeTimeoutMs: 10_000,
  /** 10 MiB: far above any sane /metrics page, small enough to protect the server. */
  bodySizeLimit: 10 * 1024 * 1024,
  /** One bad deploy exploding a label should fail the scrape, not fill the store. */
  sampleLimit: 100_000,
  seriesLimit: SCRAPE_DEFAULTS.seriesLimit,
  /** On by default, unlike Prometheus; the scraper's defaults say why. */
  labelLimit: SCRAPE_DEFAULTS.labelLimit,
  labelNameLengthLimit: SCRAPE_DEFAULTS.labelNameLengthLimit,
  labelValueLengthLimit: SCRAPE_DEFAULTS.labelValueLengthLimit,
  job: 'kpi-lights',
  direction: 'higher-is-worse',
  budgetWindowMs: 30 * 86_400_000,
  evaluationIntervalMs: 15_000,
  historyRetentionMs: 35 * 86_400_000,
  /** Alertmanager's defaults, so a team moving there sees the same timing. */
  groupBy: ['alertname'],
  groupWaitMs: 30_000,
  groupIntervalMs: 300_000,
  repeatIntervalMs: 4 * 3_600_000,
  /** Keep the alert as it was: missing data neither pages nor clears a page. */
  noData: 'hold',
  /** As the query API's own default limit; a KPI query is also held to the evaluation interval. */
  sourceTimeoutMs: 30_000,
  /** Fifteen days, as Prometheus: past every window the policy offers (ticket burns read 3 d). */
  storageRetentionMs: DEFAULT_RETENTION_MS,
} as const;

type Timing = {
  readonly group_by?: string[];
  readonly group_wait?: number;
  readonly group_interval?: number;
  readonly repeat_interval?: number;
};

function timingOf(t: Timing | undefined, base: NotificationTiming): NotificationTiming {
  return {
    groupBy: t?.group_by ?? base.groupBy,
    groupWaitMs: t?.group_wait ?? base.groupWaitMs,
    groupIntervalMs: t?.group_interval ?? base.groupIntervalMs,
    repeatIntervalMs: t?.repeat_interval ?? base.repeatIntervalMs,
  };
}

type CheckedAlert = NonNullable<CheckedSections['alerts']>[number];

function conditionOf(a: CheckedAlert): AlertRule['condition'] {
  if (a.query !== undefined) return { kind: 'query', query: a.query };
  if (a.burn_rate !== undefined) return { kind: 'burn-rate', kpi: a.kpi ?? '', speed: a.burn_rate };
  return { kind: 'kpi', kpi: a.kpi ?? '', when: a.when ?? 'critical' };
}

/**
 * A rule's severity when it names none: the KPI status it waits for, `critical` for a page
 * burn and `warning` for a ticket burn (so a page inhibits the ticket), `warning` for a query.
 */
function severityOf(c: AlertRule['condition']): string {
  if (c.kind === 'kpi') return c.when;
  if (c.kind === 'burn-rate') return c.speed === 'page' ? 'critical' : 'warning';
  return 'warning';
}

/** The scrape timeout when none is set for a target: the default, capped by the interval. */
export function scrapeTimeoutMs(timeout: number | undefined, intervalMs: number): number {
  return timeout ?? Math.min(DEFAULTS.scrapeTimeoutMs, intervalMs);
}

type ScrapeSection = CheckedSections['scrape'];

/** The scrape limits with defaults filled in. */
export function normaliseLimits(scrape: ScrapeSection): ScrapeLimits {
  const limits = scrape?.limits;
  return {
    bodySizeLimit: limits?.body_size_limit ?? DEFAULTS.bodySizeLimit,
    sampleLimit: limits?.sample_limit ?? DEFAULTS.sampleLimit,
    seriesLimit: limits?.series_limit ?? DEFAULTS.seriesLimit,
    labelLimit: limits?.label_limit ?? DEFAULTS.labelLimit,
    labelNameLengthLimit: limits?.label_name_length_limit ?? DEFAULTS.labelNameLengthLimit,
    labelValueLengthLimit: limits?.label_value_length_limit ?? DEFAULTS.labelValueLengthLimit,
  };
}

/** One target with its job, interval and timeout filled in from the scrape section. */
export function normaliseTarget(
  t: NonNullable<CheckedSections['targets']>[number],
  scrape: ScrapeSection,
): TargetDefinition {
  const interval = t.interval ?? scrape?.interval ?? DEFAULTS.scrapeIntervalMs;
  return {
    url: t.url,
    job: t.job ?? t.labels?.service ?? DEFAULTS.job,
    labels: { ...t.labels },
    intervalMs: interval,
    timeoutMs: t.timeout ?? scrapeTimeoutMs(scrape?.timeout, interval),
  };
}

/** Builds the policy; call only when every section passed its schema and the checks. */
export function normalise(
  s: CheckedSections,
  env: Readonly<Record<string, string | undefined>>,
): Policy {
  const intervalMs = s.scrape?.interval ?? DEFAULTS.scrapeIntervalMs;
  const routeTiming = timingOf(s.route, {
    groupBy: DEFAULTS.groupBy,
    groupWaitMs: DEFAULTS.groupWaitMs,
    groupIntervalMs: DEFAULTS.groupIntervalMs,
    repeatIntervalMs: DEFAULTS.repeatIntervalMs,
  });
  return {
    scrape: {
      intervalMs,
      timeoutMs: scrapeTimeoutMs(s.scrape?.timeout, intervalMs),
      limits: normaliseLimits(s.scrape),
    },
    targets: (s.targets ?? []).map((t) => normaliseTarget(t, s.scrape)),
    kpis: (s.kpis ?? []).map((k) => ({
      id: k.id,
      title: k.title,
      description: k.description,
      query: k.query,
      unit: k.unit,
      thresholds: { warning: k.thresholds.warning, critical: k.thresholds.critical },
      direction: k.direction ?? DEFAULTS.direction,
      objective: k.objective,
      budgetWindowMs: k.budget_window ?? DEFAULTS.budgetWindowMs,
      by: k.by ?? [],
      runbook: k.runbook,
    })),
    alerts: (s.alerts ?? []).map((a): AlertRule => {
      const condition = conditionOf(a);
      return {
        name: a.name,
        condition,
        forMs: a.for ?? 0,
        keepFiringForMs: a.keep_firing_for ?? 0,
        noData: a.no_data ?? DEFAULTS.noData,
        severity: a.severity ?? severityOf(condition),
        labels: { ...a.labels },
        summary: a.summary,
        description: a.description,
        runbook: a.runbook,
        notify: a.notify ?? [],
      };
    }),
    route: { ...routeTiming, externalUrl: s.route?.external_url },
    receivers: Object.entries(s.receivers ?? {}).map(
      ([name, r]): Receiver => ({
        name,
        email: r.email && {
          to: r.email.to,
          from: r.email.from,
          smtp: r.email.smtp,
          starttls: r.email.starttls ?? 'opportunistic',
          username: r.email.username,
          password: r.email.password_env === undefined ? undefined : env[r.email.password_env],
        },
        webhook: r.webhook && {
          url: r.webhook.url,
          headers: { ...r.webhook.headers },
          secret: r.webhook.secret_env === undefined ? undefined : env[r.webhook.secret_env],
        },
        alertmanager: r.alertmanager && { url: r.alertmanager.url },
        rateLimit: r.rate_limit && { max: r.rate_limit.max, perMs: r.rate_limit.per },
        timing: timingOf(r, routeTiming),
      }),
    ),
    auth: {
      read: s.auth?.read ?? 'public',
      tokens: (s.auth?.tokens ?? []).map((t) => ({
        name: t.name,
        token: t.token ?? env[t.token_env ?? ''] ?? '',
        scopes: t.scopes,
      })),
    },
    cors: { origins: s.cors?.origins ?? [] },
    evaluation: { intervalMs: s.evaluation?.interval ?? DEFAULTS.evaluationIntervalMs },
    history: {
      retentionMs: s.history?.retention ?? DEFAULTS.historyRetentionMs,
      from: s.history?.from ?? 'database',
    },
    governance: { twoPerson: s.governance?.two_person ?? false },
    storage: {
      retentionMs: s.storage?.retention ?? DEFAULTS.storageRetentionMs,
      maxBytes: s.storage?.max_bytes ?? 0,
    },
    source: s.source
      ? {
          kind: 'prometheus',
          url: s.source.prometheus.url,
          headers: { ...s.source.prometheus.headers },
          timeoutMs: s.source.prometheus.timeout ?? DEFAULTS.sourceTimeoutMs,
          publicQueries: s.source.prometheus.public_queries ?? 'kpis-only',
        }
      : { kind: 'embedded' },
  };
}
