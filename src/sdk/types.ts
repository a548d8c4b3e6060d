/** The public shapes of the HTTP API (v1), shared by the server, the SDK and the components. */

/** Every light status, best first. */
export const KPI_STATUSES = ['ok', 'warning', 'critical', 'unknown'] as const;

/**
 * A light: `ok` green, `warning` yellow, `critical` red, `unknown` grey (no data, stale target or
 * query error). Always shown with words and a shape too, never colour alone.
 */
export type KpiStatus = (typeof KPI_STATUSES)[number];

/** Which way is worse. */
export const DIRECTIONS = ['higher-is-worse', 'lower-is-worse'] as const;

/** `higher-is-worse` (error rates, latency; the default) or `lower-is-worse` (availability). */
export type Direction = (typeof DIRECTIONS)[number];

/** The units a KPI value can have. */
export const KPI_UNITS = [
  'percent',
  'ratio',
  'seconds',
  'milliseconds',
  'count',
  'per_second',
  'bytes',
] as const;

/**
 * How to show a value. `percent` values are fractions (0.01 is shown as 1 %); `ratio` is a bare
 * fraction; the rest are as named.
 */
export type KpiUnit = (typeof KPI_UNITS)[number];

/**
 * Where the light changes. With `higher-is-worse`, `warning <= critical` and a value at or past a
 * threshold takes its status; with `lower-is-worse`, `warning >= critical`.
 *
 * @example
 * ```ts
 * const errorRate: KpiThresholds = { warning: 0.01, critical: 0.03 };
 * ```
 */
export interface KpiThresholds {
  readonly warning: number;
  readonly critical: number;
}

/** Why a light is `unknown`. */
export type UnknownReason = 'no data' | 'stale target' | `query error: ${string}`;

/** One group of a KPI with `by:` labels, e.g. one agency. */
export interface KpiGroupReading {
  /** The `by:` labels that name the group, e.g. `{ agency: 'IRS' }`. */
  readonly labels: Readonly<Record<string, string>>;
  readonly value: number | null;
  readonly status: KpiStatus;
  readonly reason?: UnknownReason;
}

/** Error budget of a KPI with an `objective`. */
export interface KpiBudget {
  /** The promised fraction, in (0, 1), e.g. 0.99. */
  readonly objective: number;
  /** The window the budget is counted over, as a Prometheus duration, e.g. `30d`. */
  readonly window: string;
  /** Fraction of the budget left, 1 = untouched, 0 = spent; may go below 0 when overspent. */
  readonly remaining: number;
  /** Fraction of the budget spent so far in the window. */
  readonly burned?: number;
}

/**
 * The current reading of one KPI: `GET /api/v1/kpis/:id`, and the `kpi` stream event.
 *
 * @example
 * ```ts
 * const r: KpiReading = await client.kpi('efile-error-rate');
 * if (r.status === 'critical') page(r.title);
 * ```
 */
export interface KpiReading {
  readonly id: string;
  readonly title: string;
  readonly description?: string;
  readonly unit: KpiUnit;
  readonly direction: Direction;
  readonly thresholds: KpiThresholds;
  readonly objective?: number;
  /** `null` when unknown. For a grouped KPI, the worst group's value. */
  readonly value: number | null;
  /** For a grouped KPI, the worst group's status. */
  readonly status: KpiStatus;
  /** Set when `status` is `unknown`. */
  readonly reason?: UnknownReason;
  /** When the value was computed (ISO 8601). */
  readonly evaluatedAt: string;
  /** The policy version the KPI was computed under. */
  readonly policyVersion: number;
  readonly runbook?: string;
  /** One entry per group, for KPIs with `by:` labels. */
  readonly groups?: readonly KpiGroupReading[];
  readonly budget?: KpiBudget;
  /** Things worth knowing that do not make the value unknown (e.g. a target is down). */
  readonly warnings?: readonly string[];
  /**
   * Do not act on this reading: a target behind it is down, or it was judged after `staleAfter`.
   * The server judges it when it answers; the SDK's `isStale` judges it again at the time you ask.
   */
  readonly stale: boolean;
  /** After this instant (ISO 8601; `evaluatedAt` + 2 × the evaluation interval) the reading is stale. */
  readonly staleAfter: string;
}

/**
 * A KPI's past, columnar and ready for a chart: `GET /api/v1/kpis/:id/history`.
 * `t[i]`, `v[i]` and `status[i]` describe bucket `i`; empty buckets have `v = null` and
 * status `unknown`.
 *
 * @example
 * ```ts
 * const h: KpiHistory = await client.history('efile-error-rate', { from, to, step: 60_000 });
 * chart.setData([h.t, h.v]);
 * ```
 */
export interface KpiHistory {
  readonly id: string;
  /** Group key for `by:` KPIs (e.g. `agency="IRS"`); absent for the whole KPI. */
  readonly group?: string;
  /** Range start, ms since the epoch. */
  readonly from: number;
  /** Range end, ms since the epoch. */
  readonly to: number;
  /** Bucket width, ms. */
  readonly step: number;
  /** Bucket start times, ms since the epoch. */
  readonly t: readonly number[];
  /** Mean of the readings in the bucket; `null` when none had a value. */
  readonly v: readonly (number | null)[];
  /** Worst status in the bucket, so a short breach never vanishes from a long chart. */
  readonly status: readonly KpiStatus[];
  /**
   * Newest policy version that judged a reading in the bucket; `null` when it had none. Sent
   * by every server with governed policy versions; optional so charts built by hand need not.
   */
  readonly version?: readonly (number | null)[];
}

/**
 * An error budget's burn-down over its window: `GET /api/v1/kpis/:id/budget`. `remaining[i]` is
 * the share of the window's budget left after bucket `t[i]`, counting what was spent from the
 * window's start; it starts near 1 and ends at the reading's `budget.remaining`. Only buckets
 * with a reading are listed.
 *
 * @example
 * ```ts
 * const b: KpiBudgetHistory = await client.budgetHistory('efile-fast-filings');
 * chart.setData([b.t, b.remaining]);
 * ```
 */
export interface KpiBudgetHistory {
  readonly id: string;
  /** The promised fraction, e.g. 0.99. */
  readonly objective: number;
  /** The window, as a Prometheus duration, e.g. `30d`. */
  readonly window: string;
  /** The window's start, ms since the epoch. */
  readonly from: number;
  /** The window's end (the time of the answer), ms since the epoch. */
  readonly to: number;
  /** Bucket width, ms. */
  readonly step: number;
  /** Bucket start times, ms since the epoch. */
  readonly t: readonly number[];
  /** Share of the budget left after each bucket: 1 untouched, 0 spent, below 0 overspent. */
  readonly remaining: readonly number[];
}

/** Scrape health of one target: `GET /api/v1/targets`. */
export interface TargetHealth {
  readonly url: string;
  readonly job: string;
  readonly labels: Readonly<Record<string, string>>;
  /** `unknown` until the first scrape ends. */
  readonly health: 'up' | 'down' | 'unknown';
  /** When the last scrape started (ISO 8601), `null` before the first. */
  readonly lastScrape: string | null;
  readonly lastDurationMs: number | null;
  readonly lastSampleCount: number | null;
  /**
   * Why the last scrape failed; `null` when it worked. A target whose scrapes stopped coming on
   * schedule is `down` with the slots missed said here.
   */
  readonly lastError: string | null;
  /** How long after its slot the last scheduled scrape started (ms); `null` when not known. */
  readonly lastLatenessMs: number | null;
  /** Scrape slots that passed with no scrape since the scraper started; `null` when not known. */
  readonly missedSlots: number | null;
}

/**
 * Where an alert stands: `pending` while its condition holds but not yet for `for`, `firing`
 * after that, `resolved` once it stops (kept until its resolved notice is sent; the stream
 * tells it once). A pending alert whose condition stops is told as `resolved` to the stream, so
 * viewers drop it, but only alerts that fired get a resolved notice.
 */
export type AlertState = 'pending' | 'firing' | 'resolved';

/**
 * One alert: `GET /api/v1/alerts` (pending and firing), and the `alert` stream event (each
 * change of state).
 *
 * @example
 * ```ts
 * const page: AlertInfo = (await client.alerts()).find((a) => a.state === 'firing')!;
 * console.log(`${page.severity}: ${page.summary} since ${page.firedAt}`);
 * ```
 */
export interface AlertInfo {
  /** Stable id of this alert: a hash of its labels, the same across restarts. */
  readonly id: string;
  /** The rule's name (also the `alertname` label). */
  readonly name: string;
  readonly state: AlertState;
  readonly severity: string;
  /** The KPI the rule watches, for KPI and burn-rate alerts. */
  readonly kpi?: string;
  /**
   * All of the alert's labels: `alertname`, `severity`, `kpi`, the group's `by:` labels or the
   * query's series labels, and the rule's own labels.
   */
  readonly labels: Readonly<Record<string, string>>;
  readonly summary?: string;
  readonly description?: string;
  readonly runbook?: string;
  /** The value that last held the condition; `null` when it fired on missing data. */
  readonly value?: number | null;
  /** The KPI threshold the condition compares with, for KPI alerts. */
  readonly threshold?: number;
  /** Fraction of the error budget left when last evaluated, for burn-rate alerts. */
  readonly budgetRemaining?: number;
  /** When the condition started to hold (ISO 8601). */
  readonly activeAt: string;
  /** When it started firing (ISO 8601), once it has. */
  readonly firedAt?: string;
  /** When it resolved (ISO 8601), for `resolved` events. */
  readonly resolvedAt?: string;
  /** Ids of the silences that mute it now; absent when none do. */
  readonly silencedBy?: readonly string[];
  /** True while a critical alert of the same KPI and group mutes this warning. */
  readonly inhibited?: boolean;
  /** The policy version the rule comes from. */
  readonly policyVersion: number;
}

/**
 * One condition of a silence, as in Alertmanager: the label `name` equals `value` (or matches
 * it as an anchored RE2 regex when `isRegex`); `isEqual: false` negates it.
 */
export interface SilenceMatcher {
  readonly name: string;
  readonly value: string;
  readonly isRegex: boolean;
  /** Default true. */
  readonly isEqual?: boolean;
}

/** Whether a silence mutes alerts now, later, or no more. */
export type SilenceStatus = 'pending' | 'active' | 'expired';

/**
 * A silence: mutes notifications of every alert matched by all its matchers between
 * `startsAt` and `endsAt`. `GET /api/v1/silences`.
 */
export interface Silence {
  readonly id: string;
  readonly matchers: readonly SilenceMatcher[];
  /** ISO 8601. */
  readonly startsAt: string;
  /** ISO 8601. */
  readonly endsAt: string;
  readonly createdBy: string;
  readonly comment: string;
  readonly status: SilenceStatus;
  /** When it was created or last expired (ISO 8601). */
  readonly updatedAt: string;
}

/**
 * A new silence: `POST /api/v1/silences`. `startsAt` defaults to now.
 *
 * @example
 * ```ts
 * const s: NewSilence = {
 *   matchers: [{ name: 'alertname', value: 'EfileErrors', isRegex: false }],
 *   endsAt: new Date(Date.now() + 3_600_000).toISOString(),
 *   createdBy: 'jane', comment: 'planned maintenance',
 * };
 * ```
 */
export interface NewSilence {
  readonly matchers: readonly SilenceMatcher[];
  readonly startsAt?: string;
  readonly endsAt: string;
  readonly createdBy: string;
  readonly comment: string;
}

/** One accepted policy version: `GET /api/v1/policy/versions`. */
export interface PolicyVersionInfo {
  /** 1, 2, 3, … one per change, a rollback included. */
  readonly version: number;
  /** sha256 of the policy text as readers see it (secrets redacted), hex; quoted, the ETag. */
  readonly hash: string;
  /** When this version took effect (ISO 8601). */
  readonly created: string;
  /** The token's name, or `file` for a policy read from its file (start, reload). */
  readonly author: string;
  readonly reason: string;
  /** The version whose content this one restored, for a rollback. */
  readonly rollbackOf?: number;
  /** The second token's name, when the two-person rule was in force. */
  readonly approvedBy?: string;
}

/** One version in full: `GET /api/v1/policy/versions/:n`. */
export interface PolicyVersionDetail extends PolicyVersionInfo {
  /** The policy text, secrets redacted. */
  readonly text: string;
  /** Unified diff of the redacted text from the version before; `''` for the first or no visible change. */
  readonly diff: string;
}

/** What an audited attempt tried to do. */
export type PolicyAction = 'load' | 'reload' | 'change' | 'rollback' | 'propose' | 'approve';

/** One attempt to change the policy, accepted or refused: `GET /api/v1/policy/audit`. */
export interface PolicyAuditEntry {
  /** Increasing with every entry; the log is append-only. */
  readonly id: number;
  readonly at: string;
  readonly action: PolicyAction;
  /** The token's name, or `file`. */
  readonly author: string;
  readonly reason: string;
  /** Public hash of the text tried, `''` when there was none. */
  readonly hash: string;
  readonly outcome: 'accepted' | 'rejected';
  /** The version the attempt made (or found unchanged), when accepted. */
  readonly version: number | null;
  /** Why it was refused, or a note (e.g. `proposal 3`). */
  readonly detail: string;
  readonly issues: readonly PolicyIssue[];
}

/** A change waiting for a second token under the two-person rule: `/api/v1/policy/proposals`. */
export interface PolicyProposalInfo {
  readonly id: number;
  readonly created: string;
  readonly author: string;
  readonly reason: string;
  /** The version the change was made against; approval fails with 409 once another has followed. */
  readonly baseVersion: number;
  readonly state: 'pending' | 'approved' | 'superseded';
  /** The version approval made. */
  readonly version: number | null;
  readonly approvedBy: string | null;
  /** For a proposed rollback, the version restored. */
  readonly rollbackOf: number | null;
}

/** A proposal in full, as its approver reviews it: `GET /api/v1/policy/proposals/:id`. */
export interface PolicyProposalDetail extends PolicyProposalInfo {
  /** The proposed text, secrets redacted. */
  readonly text: string;
  /** Unified diff of the redacted text from the version in force now. */
  readonly diff: string;
}

/** One problem in a policy file, pointing at the place to fix. */
export interface PolicyIssue {
  readonly file: string;
  /** 1-based. */
  readonly line: number;
  /** 1-based. */
  readonly column: number;
  /** Field path, e.g. `kpis[1].thresholds.critical`; empty for the whole file. */
  readonly path: string;
  readonly message: string;
}

/**
 * An error response (RFC 9457, `application/problem+json`). A refused policy lists its
 * problems in `errors`.
 */
export interface ProblemDetails {
  /** URI naming the problem type; `about:blank` when the status says it all. */
  readonly type: string;
  readonly title: string;
  readonly status: number;
  readonly detail?: string;
  readonly instance?: string;
  readonly errors?: readonly PolicyIssue[];
}

/** The first event on every stream: the whole current state. */
export interface SnapshotEvent {
  readonly policyVersion: number;
  readonly kpis: readonly KpiReading[];
  readonly alerts: readonly AlertInfo[];
}

/** Sent now and then so viewers and proxies know the stream is alive. */
export interface HeartbeatEvent {
  /** Server time (ISO 8601). */
  readonly time: string;
}

/**
 * The events of `GET /api/v1/stream`, by SSE event name.
 *
 * @example
 * ```ts
 * source.addEventListener('kpi', (e) => {
 *   const r = JSON.parse(e.data) as StreamEvents['kpi'];
 * });
 * ```
 */
export interface StreamEvents {
  readonly snapshot: SnapshotEvent;
  readonly kpi: KpiReading;
  readonly alert: AlertInfo;
  readonly heartbeat: HeartbeatEvent;
}

/** The SSE event names. */
export type StreamEventName = keyof StreamEvents;
