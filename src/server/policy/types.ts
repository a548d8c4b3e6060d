/** The normalised policy the server runs on: durations in ms, defaults applied, secrets resolved. */
import type { Direction, KpiThresholds, KpiUnit } from '../../sdk/types.js';
import type { ScrapeLimits } from '../scrape/target-config.js';

/** Scrape defaults every target inherits. */
export interface ScrapeSettings {
  readonly intervalMs: number;
  readonly timeoutMs: number;
  readonly limits: ScrapeLimits;
}

/** One `/metrics` URL with its own interval and timeout resolved. */
export interface TargetDefinition {
  readonly url: string;
  /** The `job` label; defaults to the target's `service` label, else `kpi-lights`. */
  readonly job: string;
  /** Labels added to every series scraped from the target (never `job`, never `__`-prefixed). */
  readonly labels: Readonly<Record<string, string>>;
  readonly intervalMs: number;
  readonly timeoutMs: number;
}

/** One KPI as the evaluator computes it. */
export interface KpiDefinition {
  readonly id: string;
  readonly title: string;
  readonly description: string | undefined;
  /** PromQL, trimmed; already checked by the parser at load. */
  readonly query: string;
  readonly unit: KpiUnit;
  readonly thresholds: KpiThresholds;
  readonly direction: Direction;
  /** Fraction in (0, 1) of good time/events the KPI promises, if it is an SLO. */
  readonly objective: number | undefined;
  /** Window the error budget is counted over. Default 30 days. */
  readonly budgetWindowMs: number;
  /** Labels that split the KPI into one light per group; empty for one light. */
  readonly by: readonly string[];
  readonly runbook: string | undefined;
}

/** An alert on a KPI status: active while the status is `when` or worse. */
export interface KpiAlertCondition {
  readonly kind: 'kpi';
  readonly kpi: string;
  readonly when: 'warning' | 'critical';
}

/** An alert on a query, Prometheus style: active while the query returns any series. */
export interface QueryAlertCondition {
  readonly kind: 'query';
  readonly query: string;
}

/** One alert rule. */
export interface AlertRule {
  readonly name: string;
  readonly condition: KpiAlertCondition | QueryAlertCondition;
  /** How long the condition must hold before the alert fires; 0 fires at once. */
  readonly forMs: number;
  readonly severity: string;
  readonly summary: string | undefined;
  readonly runbook: string | undefined;
  /** Receiver names, all known to `Policy.receivers`. */
  readonly notify: readonly string[];
}

export interface EmailReceiver {
  readonly to: readonly string[];
  readonly from: string;
  /** `smtp://` or `smtps://` URL, credentials allowed in it. */
  readonly smtp: string;
}

export interface WebhookReceiver {
  readonly url: string;
  readonly headers: Readonly<Record<string, string>>;
}

/** A named place notifications go; at least one of `email` and `webhook`. */
export interface Receiver {
  readonly name: string;
  readonly email: EmailReceiver | undefined;
  readonly webhook: WebhookReceiver | undefined;
}

/** What a token may do; `write` implies `read`. */
export type TokenScope = 'read' | 'write';

/** One API token from the policy: the one token type, which the API's access guard reads too. */
export interface ApiToken {
  readonly name: string;
  /** The secret, read from the file or from `token_env` at load. */
  readonly token: string;
  readonly scopes: readonly TokenScope[];
}

/** Who may read; shaped to be handed straight to the API's access guard. */
export interface AuthSettings {
  readonly read: 'public' | 'token';
  readonly tokens: readonly ApiToken[];
}

/** KPI queries go to the embedded engine, over what this server scrapes. */
export interface EmbeddedSourceSetting {
  readonly kind: 'embedded';
}

/** KPI queries go to a Prometheus-compatible HTTP API; nothing is scraped here. */
export interface PrometheusSourceSetting {
  readonly kind: 'prometheus';
  readonly url: string;
  /** Sent with every request; may hold secrets. */
  readonly headers: Readonly<Record<string, string>>;
  /** Most one request to it may take, ms. */
  readonly timeoutMs: number;
}

/** Where KPI queries go. Read at start: a change needs a restart. */
export type SourceSetting = EmbeddedSourceSetting | PrometheusSourceSetting;

/** The whole policy, ready to run. */
export interface Policy {
  readonly scrape: ScrapeSettings;
  readonly targets: readonly TargetDefinition[];
  readonly kpis: readonly KpiDefinition[];
  readonly alerts: readonly AlertRule[];
  readonly receivers: readonly Receiver[];
  readonly auth: AuthSettings;
  readonly cors: { readonly origins: readonly string[] };
  readonly evaluation: { readonly intervalMs: number };
  readonly history: {
    readonly retentionMs: number;
    /** `database`: our own SQLite history; `source`: `query_range` on the source. */
    readonly from: 'database' | 'source';
  };
  readonly source: SourceSetting;
}
