/** The settings every request of one client shares, settled once from its options. */
import type { ClientRuntime } from './client-runtime.js';
import type { ClientOptions, RetryOptions } from './client-types.js';

/** Everything a request needs from the client, settled once by `clientTransport`. */
export interface Transport {
  /** The server's base URL, ending in `/`. */
  readonly baseUrl: string;
  readonly fetch: typeof fetch;
  /** `authorization` when a token is set. */
  readonly headers: Readonly<Record<string, string>>;
  readonly timeoutMs: number;
  readonly retry: Required<RetryOptions> | false;
  readonly runtime: ClientRuntime;
}

const RETRY_DEFAULTS: Required<RetryOptions> = { limit: 2, backoffMs: 300, maxBackoffMs: 10_000 };

/**
 * The transport of a client: its base URL ending in `/`, `fetch`, the token's header, the time
 * limit and retries with their defaults, and the runtime.
 *
 * @example
 * ```ts
 * const events = watchStream(clientTransport({ baseUrl }, platformRuntime), { signal });
 * ```
 */
export function clientTransport(options: ClientOptions, runtime: ClientRuntime): Transport {
  const base = String(options.baseUrl);
  return {
    baseUrl: base.endsWith('/') ? base : `${base}/`,
    fetch: options.fetch ?? globalThis.fetch.bind(globalThis),
    headers: options.token ? { authorization: `Bearer ${options.token}` } : {},
    timeoutMs: options.timeoutMs ?? 10_000,
    retry: options.retry === false ? false : { ...RETRY_DEFAULTS, ...options.retry },
    runtime,
  };
}
