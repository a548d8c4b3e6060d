/** `watch`: the live stream read with `fetch`, resumed by `Last-Event-ID`, each event yielded once. */

import { apiUrl } from './api-url.js';
import { backoffDelay } from './backoff.js';
import type { Transport } from './client-transport.js';
import type { WatchEvent, WatchOptions } from './client-types.js';
import { HttpError } from './errors/http-error.js';
import { KpiLightsError } from './errors/kpi-lights-error.js';
import { NetworkError } from './errors/network-error.js';
import { type EventStreamMessage, eventStreamReader } from './event-stream-reader.js';
import type { AlertInfo, KpiReading, SnapshotEvent } from './types.js';

/** The server's `retry:` until it sends one, ms. */
const DEFAULT_RETRY_MS = 3_000;
/** The longest wait between reconnects, ms. */
const MAX_RECONNECT_MS = 60_000;
/** Three missed server heartbeats (every 15 s when idle) and the connection counts as dead. */
const IDLE_TIMEOUT_MS = 45_000;

/** Statuses after which reconnecting cannot help: the request itself is wrong or not allowed. */
function fatal(err: unknown): boolean {
  return (
    err instanceof HttpError &&
    err.status >= 400 &&
    err.status < 500 &&
    err.status !== 408 &&
    err.status !== 429
  );
}

/** Where the stream stands: what was yielded last, so a resume neither repeats nor skips. */
class StreamPosition {
  /** Sent back as `Last-Event-ID`. */
  lastId: string | undefined;
  /** The newest id yielded since the last snapshot; ids only grow within one epoch. */
  #seen: EventPosition | undefined;

  constructor(private readonly only: ReadonlySet<string> | undefined) {}

  /** The event to yield for one SSE message, or undefined for heartbeats, repeats and others' KPIs. */
  accept(message: EventStreamMessage): WatchEvent | undefined {
    const type = message.event ?? 'message';
    const id = eventPosition(message.id);
    if (type === 'snapshot') {
      // A snapshot restarts the count: after a server restart the ids begin again.
      this.#mark(message.id, id);
      const data = parse<SnapshotEvent>(message);
      const kpis = this.only ? data.kpis.filter((r) => this.only?.has(r.id)) : data.kpis;
      return { type: 'snapshot', data: { ...data, kpis } };
    }
    if (id) {
      if (this.#seen?.epoch === id.epoch && id.n <= this.#seen.n) return undefined;
      this.#mark(message.id, id);
    }
    if (type === 'kpi') {
      const data = parse<KpiReading>(message);
      return this.only && !this.only.has(data.id) ? undefined : { type, data };
    }
    if (type === 'alert') return { type, data: parse<AlertInfo>(message) };
    // `heartbeat` only proves the stream lives; names this client does not know are skipped.
    return undefined;
  }

  #mark(text: string | undefined, id: EventPosition | undefined): void {
    if (text === undefined || !id) return;
    this.lastId = text;
    this.#seen = id;
  }
}

/** An event id read as `<epoch>-<n>` (a bare `<n>` has an empty epoch); other ids are opaque. */
interface EventPosition {
  readonly epoch: string;
  readonly n: number;
}

/** Ids count up within an epoch; a new epoch (a restarted server) starts a new count. */
function eventPosition(text: string | undefined): EventPosition | undefined {
  if (!text) return undefined;
  const dash = text.lastIndexOf('-');
  const n = Number(text.slice(dash + 1));
  return Number.isSafeInteger(n) ? { epoch: text.slice(0, Math.max(dash, 0)), n } : undefined;
}

function parse<T>(message: EventStreamMessage): T {
  try {
    return JSON.parse(message.data) as T;
  } catch (err) {
    throw new KpiLightsError(`the stream sent a "${message.event}" event that is not JSON`, {
      cause: err,
    });
  }
}

/**
 * Reads `GET /api/v1/stream` until `signal` aborts or the consumer stops iterating. Yields the
 * snapshot, then each event once; on a break yields `disconnected` (once per outage), waits a
 * jittered backoff from the server's `retry:`, reconnects with `Last-Event-ID`, and yields
 * `connected` when back. A refusal that retrying cannot fix (401, 403, 404) is thrown.
 *
 * @example
 * ```ts
 * for await (const event of watchStream(transport, { kpis: ['efile-latency'], signal })) {
 *   if (event.type === 'kpi') console.log(event.data.value);
 * }
 * ```
 */
export async function* watchStream(
  transport: Transport,
  options: WatchOptions = {},
): AsyncGenerator<WatchEvent, void, undefined> {
  const { signal } = options;
  const { runtime } = transport;
  const url = apiUrl(transport, 'api/v1/stream');
  const position = new StreamPosition(options.kpis ? new Set(options.kpis) : undefined);
  let retryMs = DEFAULT_RETRY_MS;
  let failures = 0;
  let brokenSince: number | undefined;

  while (!signal?.aborted) {
    const connection = new AbortController();
    let error: Error;
    try {
      const res = await transport.fetch(url, {
        headers: {
          accept: 'text/event-stream',
          ...transport.headers,
          ...(position.lastId !== undefined && { 'last-event-id': position.lastId }),
        },
        signal: signal ? AbortSignal.any([signal, connection.signal]) : connection.signal,
      });
      if (!res.ok) throw await HttpError.from(res);
      if (!res.body) throw new NetworkError(url, new Error('the response has no body'));
      const messages: EventStreamMessage[] = [];
      const feed = eventStreamReader({
        onEvent: (m) => messages.push(m),
        onRetry: (ms) => {
          retryMs = ms;
        },
      });
      const reader = res.body.pipeThrough(new TextDecoderStream()).getReader();
      // A half-open connection (a laptop asleep, a proxy gone) sends no error; silence is the sign.
      const idleMs = options.idleTimeoutMs ?? IDLE_TIMEOUT_MS;
      const silent = () =>
        connection.abort(
          new NetworkError(url, new Error(`the stream was silent for ${idleMs} ms`)),
        );
      let cancelIdle = runtime.timer(silent, idleMs);
      try {
        if (brokenSince !== undefined) {
          brokenSince = undefined;
          yield { type: 'connected' };
        }
        for (;;) {
          const { value, done } = await reader.read();
          if (done) break;
          cancelIdle();
          cancelIdle = runtime.timer(silent, idleMs);
          feed(value);
          for (const message of messages.splice(0)) {
            const event = position.accept(message);
            failures = 0;
            if (event) yield event;
          }
        }
        error = new NetworkError(url, new Error('the server ended the stream'));
      } finally {
        // Runs on a break, an error, and when the consumer stops: the connection is let go.
        cancelIdle();
        connection.abort();
        reader.cancel().catch(() => {});
      }
    } catch (err) {
      if (signal?.aborted) return;
      if (fatal(err)) throw err;
      const reason: unknown = connection.signal.reason;
      // Our own abort for silence: its reason says why better than the read's AbortError.
      if (connection.signal.aborted && reason instanceof KpiLightsError) error = reason;
      else error = err instanceof KpiLightsError ? err : new NetworkError(url, err);
    }
    if (brokenSince === undefined) {
      brokenSince = runtime.now();
      yield { type: 'disconnected', since: brokenSince, error };
    }
    const wait = backoffDelay(failures++, retryMs, MAX_RECONNECT_MS, runtime.random);
    try {
      await runtime.sleep(wait, signal);
    } catch {
      return;
    }
  }
}
