/** One Server-Sent Events hub: every event is serialised once and the same bytes go to every viewer. */
import type { ServerResponse } from 'node:http';
import { RESPONSE_ALREADY_SENT } from '@hono/node-server/utils/response';
import type { Context } from 'hono';
import { withDefaults } from '../../../shared/with-defaults.js';
import { type CapRefusal, ClientCaps } from '../../http/client-caps.js';
import { PROBLEM_TYPE, problemBody } from '../problem.js';
import { clientAddress, nodeSseClient, type SseClient, webSseClient } from './sse-clients.js';
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
  /** How many bytes of recent events are kept for resume; the oldest go first. Default 1 MiB. */
  readonly replayBytes?: number;
  /**
   * A viewer whose unsent bytes pass this is cut off rather than let the server's memory grow;
   * a resume that would pass it gets a snapshot instead. Default 1 MiB.
   */
  readonly maxBufferedBytes?: number;
  /** Most streams open at once; past it a viewer gets 503. 0 = no limit. Default 512. */
  readonly maxClients?: number;
  /** Most streams one client address may hold; past it 429. 0 = no limit. Default 64. */
  readonly maxClientsPerAddress?: number;
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
  /** Viewers refused a stream: the server held its most (`total`) or their address did. */
  readonly refused: { readonly total: number; readonly perClient: number };
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
  readonly #caps: ClientCaps;
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
        replayBytes: 1024 * 1024,
        maxBufferedBytes: 1024 * 1024,
        maxClients: 512,
        maxClientsPerAddress: 64,
        retryMs: 3_000,
      },
      options,
    );
    this.#replay = new ReplayBuffer({
      events: this.#opts.replayEvents,
      bytes: this.#opts.replayBytes,
    });
    this.#caps = new ClientCaps({
      total: this.#opts.maxClients,
      perClient: this.#opts.maxClientsPerAddress,
    });
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
      refused: this.#caps.refusals,
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

  /**
   * Answers a request with an event stream. Works on @hono/node-server and in `app.request`.
   * A viewer past the stream caps gets a problem body instead: 503 when the server holds its
   * most streams, 429 when its address does, each with `Retry-After`.
   */
  connect(c: Context): Response {
    const address = clientAddress(c);
    const refused = this.#caps.take(address);
    if (refused) return this.#refuse(c, refused);
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
      const client = nodeSseClient(outgoing, address, this.#opts.maxBufferedBytes);
      outgoing.on('close', () => this.#detach(client));
      this.#attach(client, first);
      return RESPONSE_ALREADY_SENT;
    }
    let client: SseClient | undefined;
    const body = new ReadableStream<Uint8Array>(
      {
        start: (controller) => {
          client = webSseClient(controller, address, this.#opts.maxBufferedBytes);
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
    for (const client of [...this.#clients]) {
      this.#detach(client);
      client.close();
    }
    this.#stopHeartbeat();
  }

  #refuse(c: Context, refusal: CapRefusal): Response {
    const status = refusal === 'total' ? 503 : 429;
    const { total, perClient } = this.#caps.limits;
    const detail =
      refusal === 'total'
        ? `the server holds its most event streams (${total}); try again later`
        : `this client address holds its most event streams (${perClient}); close one, or share one stream per page`;
    return c.body(JSON.stringify(problemBody({ status, detail })), status, {
      'content-type': PROBLEM_TYPE,
      'retry-after': String(Math.ceil(this.#opts.retryMs / 1000)),
    });
  }

  /**
   * What a viewer gets first: the events it missed, when all of them are kept and fit its
   * buffer, else a fresh snapshot. Never part of them: a skipped event would go unnoticed.
   */
  #openingBytes(lastEventId: string | undefined): Uint8Array[] {
    const retry = encoder.encode(`retry: ${this.#opts.retryMs}\n\n`);
    const since = eventNumber(lastEventId, this.epoch);
    if (since !== undefined && since <= this.#lastId) {
      const missed = this.#replay.since(since);
      let bytes = 0;
      for (const frame of missed ?? []) bytes += frame.byteLength;
      if (missed && bytes <= this.#opts.maxBufferedBytes) return [retry, ...missed];
    }
    const snapshot = this.#opts.snapshot ? this.#opts.snapshot() : {};
    return [retry, frame(this.lastEventId, 'snapshot', snapshot)];
  }

  #attach(client: SseClient, first: Uint8Array[]): void {
    this.#clients.add(client);
    for (const chunk of first) {
      // A viewer that cannot take its opening whole is cut off, never handed part of it.
      if (!client.write(chunk)) {
        this.#drop(client);
        return;
      }
    }
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

  /** Forgets a viewer and gives back its place under the caps; once, however often called. */
  #detach(client: SseClient): void {
    if (!this.#clients.delete(client)) return;
    this.#caps.give(client.address);
    if (this.#clients.size === 0) this.#stopHeartbeat();
  }

  /** Cuts off a viewer too far behind: it reconnects and resumes, or gets a snapshot. */
  #drop(client: SseClient): void {
    this.#eventsDropped++;
    this.#clientsDropped++;
    this.#detach(client);
    client.close();
  }

  #stopHeartbeat(): void {
    if (this.#heartbeat) clearInterval(this.#heartbeat);
    this.#heartbeat = undefined;
  }

  #broadcast(bytes: Uint8Array): void {
    for (const client of this.#clients) {
      if (!client.write(bytes)) this.#drop(client);
    }
  }
}
