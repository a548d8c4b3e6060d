/** The SDK client's public shape: options, methods and the events `watch` yields. */
import type {
  AlertInfo,
  KpiBudgetHistory,
  KpiHistory,
  KpiReading,
  PolicyVersionInfo,
  Silence,
  SnapshotEvent,
  TargetHealth,
} from './types.js';

/** How GET requests are retried. Only GETs are retried, and never on a 4xx but 408 and 429. */
export interface RetryOptions {
  /** Retries after the first try. Default 2. */
  readonly limit?: number;
  /** First backoff, ms; doubles each retry, with jitter. Default 300. */
  readonly backoffMs?: number;
  /** Longest wait between tries, ms, `Retry-After` included. Default 10 000. */
  readonly maxBackoffMs?: number;
}

/** Options of `createClient`. Only `baseUrl` is required. */
export interface ClientOptions {
  /** The KPI server, e.g. `https://kpi.example.gov`; a trailing slash is fine. */
  readonly baseUrl: string | URL;
  /** A bearer token with the `read` scope, for servers with `auth.read: token`. */
  readonly token?: string;
  /** The `fetch` to use. Default the platform's. */
  readonly fetch?: typeof fetch;
  /** Time limit of one request (each try), ms. Default 10 000. */
  readonly timeoutMs?: number;
  /** Retries of GET requests; `false` turns them off. */
  readonly retry?: RetryOptions | false;
}

/** Every method takes a signal; it is combined with the client's timeout. */
export interface RequestOptions {
  readonly signal?: AbortSignal;
}

/** The window and bucket width of `history`. */
export interface HistoryOptions extends RequestOptions {
  /** Range start: a `Date`, ms since the epoch, or an RFC 3339 string. Default 1 h before `to`. */
  readonly from?: Date | number | string;
  /** Range end. Default now. */
  readonly to?: Date | number | string;
  /** Bucket width: ms, or a Prometheus duration such as `1m`. Default chosen by the server. */
  readonly step?: number | string;
  /** One group of a `by:` KPI, e.g. `agency="IRS"`. */
  readonly group?: string;
}

/** Options of `watch`. */
export interface WatchOptions extends RequestOptions {
  /** Only these KPI ids; default all. */
  readonly kpis?: readonly string[];
  /**
   * A stream silent this long is taken for dead and reconnected, ms. The server sends a
   * heartbeat every 15 s when idle. Default 45 000.
   */
  readonly idleTimeoutMs?: number;
}

/**
 * What `watch` yields: the server's events in order, each once, plus the client's own word on the
 * connection. After a reconnect that the server could not resume, a fresh `snapshot` comes.
 */
export type WatchEvent =
  | { readonly type: 'snapshot'; readonly data: SnapshotEvent }
  | { readonly type: 'kpi'; readonly data: KpiReading }
  | { readonly type: 'alert'; readonly data: AlertInfo }
  /** The stream broke; the client is reconnecting. Readings age from `since` (ms since the epoch). */
  | { readonly type: 'disconnected'; readonly since: number; readonly error: Error }
  /** The stream is back after a `disconnected`. */
  | { readonly type: 'connected' };

/** The client `createClient` returns. */
export interface KpiLightsClient {
  /** Every KPI's current reading. */
  kpis(options?: RequestOptions): Promise<KpiReading[]>;
  /** One KPI's current reading; an unknown id rejects with an `HttpError` (404). */
  kpi(id: string, options?: RequestOptions): Promise<KpiReading>;
  /** A KPI's past, columnar. */
  history(id: string, options?: HistoryOptions): Promise<KpiHistory>;
  /** The burn-down of a KPI's error budget over its window; a KPI without an objective rejects (404). */
  budgetHistory(id: string, options?: RequestOptions): Promise<KpiBudgetHistory>;
  /** Scrape health of every target. */
  targets(options?: RequestOptions): Promise<TargetHealth[]>;
  /** The running policy text and its version. */
  policy(options?: RequestOptions): Promise<PolicyDocument>;
  /** Every accepted policy version, oldest first. */
  policyVersions(options?: RequestOptions): Promise<PolicyVersionInfo[]>;
  /**
   * The alerts pending and firing now; a server without alerting rejects with an `HttpError` (404).
   *
   * @example
   * ```ts
   * const paging = (await client.alerts()).filter((a) => a.state === 'firing' && !a.silencedBy);
   * ```
   */
  alerts(options?: RequestOptions): Promise<AlertInfo[]>;
  /** Every silence, newest first, expired ones included for a while. */
  silences(options?: RequestOptions): Promise<Silence[]>;
  /** The live stream: snapshot first, then changes; reconnects and resumes by itself until aborted. */
  watch(options?: WatchOptions): AsyncIterableIterator<WatchEvent>;
}

/** `GET /api/v1/policy`: the running policy as the server shows it (secrets redacted). */
export interface PolicyDocument extends PolicyVersionInfo {
  /** The policy file's text, with inline tokens redacted. */
  readonly text: string;
}
