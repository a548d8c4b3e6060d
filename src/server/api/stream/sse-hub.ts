/** One Server-Sent Events hub: every event is serialised once and the same bytes go to every viewer. */
import type { ServerResponse } from 'node:http';
import { RESPONSE_ALREADY_SENT } from '@hono/node-server/utils/response';
import type { Context } from 'hono';
import { withDefaults } from '../../../shared/with-defaults.js';
import { eventId, eventNumber, newEpoch } from './sse-event-id.js';
import { ReplayBuffer } from './sse-replay.js';

/** The stream's events: SSE event name → the data it carries. */
export type SseEventMap = object;

/** The data of an event the map may name, `unknown` where it does not. */
type DataOf<E, K extends string> = E extends { readonly [P in K]: infer D } ? D : unknown;

/** Options of {@link SseHub}. Every field is optional. */
export interface SseHubOptions<E extends SseEventMap = Record<string, unknown>> {
  /** Builds the payload of the `snapshot` event a new viewer gets first. Default: `{}`. */
  readonly snapshot?: () => DataOf<E, 'snapshot'>;
  /**
   * Builds the payload of the `heartbeat` event sent when the stream was idle for
   * `heartbeatMs`, one viewers can see. Default: none, a comment line keeps proxies open instead.
   */
  readonly heartbeat?: () => DataOf<E, 'heartbeat'>;
  /** Idle milliseconds before a heartbeat. Default 15 000. */
  readonly heartbeatMs?: number;
  /** How many recent events are kept for `Last-Event-ID` resume. Default 1 000. */
  readonly replayEvents?: number;
  /** A viewer whose unsent bytes pass this is cut off rather than let the server's memory grow. Default 1 MiB. */
  readonly maxBufferedBytes?: number;
  /** Suggested reconnect delay sent in the stream (`retry:`), ms. Default 3 000. */
  readonly retryMs?: number;
}

/** Counters the server exports about its stream. */
export interface SseHubStats {
  readonly clients: number;
  readonly eventsPublished: number;
  /** Events not delivered because their viewer was too slow and was cut off. */
  readonly eventsDropped: number;
  readonly clientsDropped: number;
}

/** One connected viewer, whatever carries its bytes. */
interface SseClient {
  /** Queues bytes; answers false when the viewer is too far behind and must be dropped. */
  write(chunk: Uint8Array): boolean;
  close(): void;
}

const encoder = new TextEncoder();
const HEARTBEAT = encoder.encode(': heartbeat\n\n');

/** Frames one SSE event; the JSON is on one `data:` line, since JSON.stringify never emits a newline. */
function frame(id: string, type: string, data: unknown): Uint8Array {
  return encoder.encode(`id: ${id}\nevent: ${type}\ndata: ${JSON.stringify(data)}\n\n`);
}

/**
 * Fans events out to every connected viewer over SSE. `E` maps each event name to its data,
 * so `publish` only takes the events the stream has, with the data each carries.
 *
 * A new viewer gets a `snapshot` event first, then every published event in order. A viewer that
 * reconnects with `Last-Event-ID` gets just what it missed, or a fresh snapshot when that is no
 * longer kept. Ids are `<epoch>-<n>` with an epoch drawn per hub, so an id from before a restart
 * (whose numbers start again at 0) also gets a snapshot. Slow viewers are cut off instead of
 * buffering without bound.
 *
 * @example
 * ```ts
 * const hub = new SseHub<StreamEvents>({ snapshot: () => snapshotEvent(readings(), 3) });
 * app.get('/api/v1/stream', (c) => hub.connect(c));
 * hub.publish('kpi', reading); // a KpiReading, checked
 * ```
 */
export class SseHub<E extends SseEventMap = Record<string, unknown>> {
  readonly #opts: Required<Omit<SseHubOptions<E>, 'snapshot' | 'heartbeat'>> &
    Pick<SseHubOptions<E>, 'snapshot' | 'heartbeat'>;
  readonly #clients = new Set<SseClient>();
  readonly #replay: ReplayBuffer;
  /** This hub's epoch, the first part of every event id. */
  readonly epoch = newEpoch();
  #lastId = 0;
  #published = 0;
  #eventsDropped = 0;
  #clientsDropped = 0;
  #heartbeat: ReturnType<typeof setInterval> | undefined;
  /** Events published as of the last heartbeat tick: unchanged means the stream was idle. */
  #publishedAtBeat = 0;

  constructor(options: SseHubOptions<E> = {}) {
    this.#opts = withDefaults(
      {
        heartbeatMs: 15_000,
        replayEvents: 1_000,
        maxBufferedBytes: 1024 * 1024,
        retryMs: 3_000,
      },
      options,
    );
    this.#replay = new ReplayBuffer(this.#opts.replayEvents);
  }

  /** Id of the newest published event, `<epoch>-<n>` (`<epoch>-0` before any). */
  get lastEventId(): string {
    return eventId(this.epoch, this.#lastId);
  }

  get stats(): SseHubStats {
    return {
      clients: this.#clients.size,
      eventsPublished: this.#published,
      eventsDropped: this.#eventsDropped,
      clientsDropped: this.#clientsDropped,
    };
  }

  /** Sends one event to every viewer; returns its id. */
  publish<K extends keyof E & string>(type: K, data: E[K]): string {
    return this.#publishUnchecked(type, data);
  }

  #publishUnchecked(type: string, data: unknown): string {
    const n = ++this.#lastId;
    const id = eventId(this.epoch, n);
    const bytes = frame(id, type, data);
    this.#replay.push(n, bytes);
    this.#published++;
    this.#broadcast(bytes);
    return id;
  }

  /** Answers a request with an event stream. Works on @hono/node-server and in `app.request`. */
  connect(c: Context): Response {
    const headers: Record<string, string> = {
      'content-type': 'text/event-stream; charset=utf-8',
      'cache-control': 'no-cache, no-transform',
      'x-accel-buffering': 'no',
    };
    // Middleware (CORS) has already put its headers on the pending response; keep them.
    c.res.headers.forEach((value, key) => {
      if (!(key in headers) && key !== 'content-length') headers[key] = value;
    });
    const first = this.#openingBytes(c.req.header('last-event-id'));
    const outgoing = (c.env as { outgoing?: ServerResponse } | undefined)?.outgoing;
    if (outgoing && typeof outgoing.writeHead === 'function') {
      // Straight onto the socket: a web stream per viewer costs memory that 10 000 viewers notice.
      outgoing.writeHead(200, headers);
      outgoing.flushHeaders();
      this.#attach(this.#nodeClient(outgoing), first);
      return RESPONSE_ALREADY_SENT;
    }
    let client: SseClient | undefined;
    const body = new ReadableStream<Uint8Array>(
      {
        start: (controller) => {
          client = this.#streamClient(controller);
          this.#attach(client, first);
        },
        cancel: () => {
          if (client) this.#detach(client);
        },
      },
      new ByteLengthQueuingStrategy({ highWaterMark: 64 * 1024 }),
    );
    return new Response(body, { status: 200, headers });
  }

  /** Ends every stream and stops the heartbeat; used on shutdown. */
  close(): void {
    for (const client of this.#clients) client.close();
    this.#clients.clear();
    this.#stopHeartbeat();
  }

  #openingBytes(lastEventId: string | undefined): Uint8Array[] {
    const retry = encoder.encode(`retry: ${this.#opts.retryMs}\n\n`);
    const since = eventNumber(lastEventId, this.epoch);
    if (since !== undefined && since <= this.#lastId) {
      const missed = this.#replay.since(since);
      if (missed) return [retry, ...missed];
    }
    const snapshot = this.#opts.snapshot ? this.#opts.snapshot() : {};
    return [retry, frame(this.lastEventId, 'snapshot', snapshot)];
  }

  #attach(client: SseClient, first: Uint8Array[]): void {
    for (const chunk of first) client.write(chunk);
    this.#clients.add(client);
    if (!this.#heartbeat) {
      this.#publishedAtBeat = this.#published;
      this.#heartbeat = setInterval(() => this.#beat(), this.#opts.heartbeatMs);
      this.#heartbeat.unref?.();
    }
  }

  /** One heartbeat, only if nothing went out since the last tick: a busy stream needs none. */
  #beat(): void {
    if (this.#published === this.#publishedAtBeat) {
      const { heartbeat } = this.#opts;
      if (heartbeat) this.#publishUnchecked('heartbeat', heartbeat());
      else this.#broadcast(HEARTBEAT);
    }
    this.#publishedAtBeat = this.#published;
  }

  #detach(client: SseClient): void {
    this.#clients.delete(client);
    if (this.#clients.size === 0) this.#stopHeartbeat();
  }

  #stopHeartbeat(): void {
    if (this.#heartbeat) clearInterval(this.#heartbeat);
    this.#heartbeat = undefined;
  }

  #broadcast(bytes: Uint8Array): void {
    for (const client of this.#clients) {
      if (!client.write(bytes)) {
        this.#eventsDropped++;
        this.#clientsDropped++;
        this.#detach(client);
        client.close();
      }
    }
  }

  #nodeClient(res: ServerResponse): SseClient {
    const limit = this.#opts.maxBufferedBytes;
    const client: SseClient = {
      write: (chunk) => {
        if (res.destroyed) return true;
        if (res.writableLength > limit) return false;
        res.write(chunk);
        return true;
      },
      close: () => res.destroy(),
    };
    res.on('close', () => this.#detach(client));
    return client;
  }

  #streamClient(controller: ReadableStreamDefaultController<Uint8Array>): SseClient {
    const limit = this.#opts.maxBufferedBytes;
    let closed = false;
    return {
      write: (chunk) => {
        if (closed) return true;
        if ((controller.desiredSize ?? 0) < -limit) return false;
        controller.enqueue(chunk);
        return true;
      },
      close: () => {
        if (closed) return;
        closed = true;
        try {
          controller.close();
        } catch {
          // The reader already went away; nothing left to close.
        }
      },
    };
  }
}
