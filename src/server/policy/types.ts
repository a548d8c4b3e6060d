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

/** An alert on a KPI status: active for each group whose status is `when` or worse. */
export interface KpiAlertCondition {
  readonly kind: 'kpi';
  readonly kpi: string;
  readonly when: 'warning' | 'critical';
}

/** An alert on a query, Prometheus style: active for each series the query returns. */
export interface QueryAlertCondition {
  readonly kind: 'query';
  readonly query: string;
}

/**
 * The SRE workbook's multiwindow, multi-burn-rate alert on a KPI with an objective: `page`
 * (fast burns) or `ticket` (slow burns).
 */
export interface BurnRateAlertCondition {
  readonly kind: 'burn-rate';
  readonly kpi: string;
  readonly speed: 'page' | 'ticket';
}

/** What a rule does when its condition cannot be read: keep the state, call it ok, or call it active. */
export type NoDataPolicy = 'hold' | 'ok' | 'alert';

/** One alert rule. */
export interface AlertRule {
  readonly name: string;
  readonly condition: KpiAlertCondition | QueryAlertCondition | BurnRateAlertCondition;
  /** How long the condition must hold before the alert fires; 0 fires at once. */
  readonly forMs: number;
  /** How long a firing alert keeps firing after the condition stops; 0 resolves at once. */
  readonly keepFiringForMs: number;
  readonly noData: NoDataPolicy;
  readonly severity: string;
  /** Extra labels, templates allowed in values. */
  readonly labels: Readonly<Record<string, string>>;
  /** Templates. */
  readonly summary: string | undefined;
  readonly description: string | undefined;
  readonly runbook: string | undefined;
  /** Receiver names, all known to `Policy.receivers`. */
  readonly notify: readonly string[];
}

/** Alertmanager's timing of one receiver's notices. */
export interface NotificationTiming {
  /** Labels whose values split alerts into groups, one notice per group. */
  readonly groupBy: readonly string[];
  /** Wait after a group's first alert, so alerts born together go in one notice. */
  readonly groupWaitMs: number;
  /** Least time between two notices of a group when its alerts change. */
  readonly groupIntervalMs: number;
  /** A group still firing is told again after this long. */
  readonly repeatIntervalMs: number;
}

/** The top-level `route:` section: default timing and where notices link to. */
export interface AlertRoute extends NotificationTiming {
  readonly externalUrl: string | undefined;
}

export interface EmailReceiver {
  readonly to: readonly string[];
  readonly from: string;
  /** `smtp://` or `smtps://` URL, credentials allowed in it. */
  readonly smtp: string;
  /** `required` refuses a server without STARTTLS; `off` never upgrades. Default `opportunistic`. */
  readonly starttls: 'required' | 'opportunistic' | 'off';
  readonly username: string | undefined;
  /** Read from `password_env` at load. */
  readonly password: string | undefined;
}

export interface WebhookReceiver {
  readonly url: string;
  readonly headers: Readonly<Record<string, string>>;
  /** HMAC-SHA256 key, read from `secret_env` at load; unsigned without it. */
  readonly secret: string | undefined;
}

/** An Alertmanager that alerts are forwarded to (`POST /api/v2/alerts`). */
export interface AlertmanagerReceiver {
  readonly url: string;
}

/** A named place notifications go; at least one of `email`, `webhook`, `alertmanager`. */
export interface Receiver {
  readonly name: string;
  readonly email: EmailReceiver | undefined;
  readonly webhook: WebhookReceiver | undefined;
  readonly alertmanager: AlertmanagerReceiver | undefined;
  /** At most `max` messages per `perMs`; the rest wait and go as one digest. */
  readonly rateLimit: { readonly max: number; readonly perMs: number } | undefined;
  /** The route's timing with this receiver's own fields over it. */
  readonly timing: NotificationTiming;
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
  /**
   * `kpis-only`: readers without a token cause only the KPIs' own queries (history, targets);
   * the query API needs a read token. `any`: anyone who may read may send any PromQL.
   */
  readonly publicQueries: 'kpis-only' | 'any';
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
  readonly route: AlertRoute;
  readonly auth: AuthSettings;
  readonly cors: { readonly origins: readonly string[] };
  readonly evaluation: { readonly intervalMs: number };
  readonly history: {
    readonly retentionMs: number;
    /** `database`: our own SQLite history; `source`: `query_range` on the source. */
    readonly from: 'database' | 'source';
  };
  /** `twoPerson`: a change takes effect only when a second token approves it. */
  readonly governance: { readonly twoPerson: boolean };
  readonly source: SourceSetting;
  /**
   * How long the embedded engine keeps samples on disk, and the most bytes its files may take
   * (0: no limit; the oldest go first). Read at start: a change needs a restart.
   */
  readonly storage: { readonly retentionMs: number; readonly maxBytes: number };
}
