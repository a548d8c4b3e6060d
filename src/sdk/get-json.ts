/** One GET against the KPI server: a time limit per try, the caller's signal, retries with backoff. */

import { apiUrl } from './api-url.js';
import { backoffDelay } from './backoff.js';
import type { Transport } from './client-transport.js';
import { HttpError } from './errors/http-error.js';
import { KpiLightsError } from './errors/kpi-lights-error.js';
import { NetworkError } from './errors/network-error.js';
import { TimeoutError } from './errors/timeout-error.js';
import { retryAfterDelay } from './retry-delay.js';

function retryable(err: unknown): boolean {
  // Worth another try: the server may answer differently in a moment. Other 4xx will not change.
  if (err instanceof HttpError)
    return err.status === 408 || err.status === 429 || err.status >= 500;
  // A timeout is not retried: a server too slow once is most likely too slow again at once.
  return err instanceof NetworkError;
}

async function tryOnce(transport: Transport, url: string, signal?: AbortSignal): Promise<unknown> {
  signal?.throwIfAborted();
  const { timeoutMs, runtime } = transport;
  const timeout = new AbortController();
  const cancel = runtime.timer(() => timeout.abort(), timeoutMs);
  const combined = signal ? AbortSignal.any([signal, timeout.signal]) : timeout.signal;
  let res: Response;
  let text: string;
  try {
    res = await transport.fetch(url, {
      headers: { accept: 'application/json', ...transport.headers },
      signal: combined,
    });
    if (!res.ok) throw await HttpError.from(res);
    text = await res.text();
  } catch (err) {
    // The caller's abort wins, with the caller's reason, even if the timer fired too.
    if (signal?.aborted) throw signal.reason;
    if (timeout.signal.aborted) throw new TimeoutError(url, timeoutMs, err);
    if (err instanceof KpiLightsError) throw err;
    throw new NetworkError(url, err);
  } finally {
    cancel();
  }
  try {
    return JSON.parse(text);
  } catch (err) {
    throw new KpiLightsError(`${url} answered ${res.status} with a body that is not JSON`, {
      cause: err,
    });
  }
}

/**
 * GETs a JSON body. Retries (when allowed) network errors, 408, 429 and 5xx, waiting the
 * server's `Retry-After` or a jittered backoff, never longer than `maxBackoffMs`; any other
 * 4xx, a timeout, or the caller's abort ends it at once.
 *
 * @example
 * ```ts
 * const kpis = await getJson<KpiReading[]>(transport, 'api/v1/kpis', {}, signal);
 * ```
 */
export async function getJson<T>(
  transport: Transport,
  path: string,
  query: Readonly<Record<string, string | undefined>>,
  signal?: AbortSignal,
): Promise<T> {
  const url = apiUrl(transport, path, query);
  const { retry, runtime } = transport;
  for (let attempt = 0; ; attempt++) {
    let wait: number;
    try {
      return (await tryOnce(transport, url, signal)) as T;
    } catch (err) {
      if (!retry || attempt >= retry.limit || !retryable(err)) throw err;
      const asked =
        err instanceof HttpError
          ? retryAfterDelay(err.response.headers.get('retry-after'), runtime.now())
          : undefined;
      wait = Math.min(
        retry.maxBackoffMs,
        asked ?? backoffDelay(attempt, retry.backoffMs, retry.maxBackoffMs, runtime.random),
      );
    }
    await runtime.sleep(wait, signal);
  }
}
