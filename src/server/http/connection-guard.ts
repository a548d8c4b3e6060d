/** The HTTP server under connection caps and timeouts: one client cannot hold it, a slow one cannot keep it waiting. */
import {
  createServer,
  type IncomingMessage,
  type RequestListener,
  type Server,
  type ServerOptions,
  type ServerResponse,
} from 'node:http';
import type { Socket } from 'node:net';
import { withDefaults } from '../../shared/with-defaults.js';
import { type CapRefusal, ClientCaps } from './client-caps.js';

/** Limits of {@link guardConnections}. Every field is optional; 0 turns a cap off. */
export interface ConnectionLimits {
  /** Most open connections, all clients together. Default 1 024. */
  readonly maxConnections?: number;
  /** Most open connections from one client address. Default 128. */
  readonly maxConnectionsPerClient?: number;
  /** Time for a client to send its request headers, ms (Node's `headersTimeout`). Default 10 000. */
  readonly headersTimeoutMs?: number;
  /** Time for a client to send its whole request, body included, ms. Default 30 000. */
  readonly requestTimeoutMs?: number;
  /** An idle kept-alive connection is closed after this, ms. Default 5 000. */
  readonly keepAliveTimeoutMs?: number;
  /**
   * Connections past a cap that are still read for one request, so a probe (`/healthz`,
   * `/readyz`) is answered and anything else gets its 503 or 429 with a problem body; one
   * address may take a sixteenth of them, so no client can keep the probes out. Past these, a
   * connection is answered and closed at once. Default 64.
   */
  readonly refusalSlots?: number;
  /** How long a connection in a refusal slot may take to send its request, ms. Default 2 000. */
  readonly refusalGraceMs?: number;
  /**
   * The body of a refusal, from its status and what to tell the client. Default: a JSON
   * problem body (`application/problem+json`, RFC 9457) with `status` and `detail`; the server
   * passes the API's own builder.
   */
  readonly refusal?: (status: number, detail: string) => RefusalBody;
}

/** What a refused client is sent. */
export interface RefusalBody {
  readonly contentType: string;
  readonly body: string;
}

/** What the guard counts, for `/metrics`. */
export interface ConnectionStats {
  /** Connections admitted and open now. */
  readonly open: number;
  /** Connections refused, by reason: the server was full, or the client's address was. */
  readonly refused: { readonly total: number; readonly perClient: number };
}

/** A guard: the `createServer` to hand to `serve`, and its counts. */
export interface ConnectionGuard {
  /** Builds the HTTP server with the timeouts and caps; give it to `serve({ createServer })`. */
  readonly createServer: typeof createServer;
  readonly limits: Required<ConnectionLimits>;
  stats(): ConnectionStats;
}

const DEFAULTS: Required<ConnectionLimits> = {
  refusal: (status, detail) => ({
    contentType: 'application/problem+json',
    body: JSON.stringify({ status, detail }),
  }),
  maxConnections: 1_024,
  maxConnectionsPerClient: 128,
  headersTimeoutMs: 10_000,
  requestTimeoutMs: 30_000,
  keepAliveTimeoutMs: 5_000,
  refusalSlots: 64,
  refusalGraceMs: 2_000,
};

/** Paths answered even past a cap: an orchestrator must still see whether the server is up. */
const PROBES = new Set(['/healthz', '/readyz']);

function isProbe(req: IncomingMessage): boolean {
  if (req.method !== 'GET' && req.method !== 'HEAD') return false;
  const path = (req.url ?? '').split('?', 1)[0];
  return PROBES.has(path);
}

const STATUS: Record<CapRefusal, { code: number; text: string }> = {
  total: { code: 503, text: 'Service Unavailable' },
  'per-client': { code: 429, text: 'Too Many Requests' },
};

function refusalBody(refusal: CapRefusal, limits: Required<ConnectionLimits>): RefusalBody {
  const detail =
    refusal === 'total'
      ? `the server holds its most connections (${limits.maxConnections}); try again later`
      : `this client address holds its most connections (${limits.maxConnectionsPerClient}); close some first`;
  return limits.refusal(STATUS[refusal].code, detail);
}

/**
 * Wraps Node's HTTP server so that no client can exhaust it:
 * - **Timeouts that beat slowloris.** Headers within `headersTimeoutMs` and the whole request
 *   within `requestTimeoutMs`, checked every second (Node checks every 30 s by default, so a
 *   half-sent request lived ~67 s); a late client gets 408 and is closed.
 * - **Caps per client address and in total.** A connection past one is not served: it may
 *   send one request within `refusalGraceMs`, and gets 503 (server full) or 429 (its address
 *   full) with a problem body and `Retry-After`, except `/healthz` and `/readyz`, which are
 *   answered as usual so probes see the truth. Past `refusalSlots` such connections, a new one
 *   gets its 503 or 429 the moment it connects and is closed.
 *
 * So the server holds at most `maxConnections + refusalSlots` sockets for clients whatever they
 * do; the rest of the process's file descriptors stay free for scrapes, the source and the
 * database (see `fitToDescriptors`). Responses (a long event stream) are not timed: only
 * receiving the request is.
 *
 * @example
 * ```ts
 * const guard = guardConnections({ maxConnections: 512 });
 * serve({ fetch: app.fetch, port: 8100, createServer: guard.createServer });
 * ```
 */
export function guardConnections(options: ConnectionLimits = {}): ConnectionGuard {
  const limits = withDefaults(DEFAULTS, options);
  const caps = new ClientCaps({
    total: limits.maxConnections,
    perClient: limits.maxConnectionsPerClient,
  });
  /** Sockets past a cap, read only for one request: what each was refused for, and its deadline. */
  const refused = new WeakMap<Socket, { refusal: CapRefusal; timer: NodeJS.Timeout }>();
  const graced = new ClientCaps({
    total: limits.refusalSlots,
    perClient: Math.max(1, Math.ceil(limits.refusalSlots / 16)),
  });

  const refuseNow = (socket: Socket, refusal: CapRefusal): void => {
    if (socket.destroyed) return;
    // Read nothing more: no request of its own will be parsed and answered after this.
    socket.pause();
    const { contentType, body } = refusalBody(refusal, limits);
    const { code, text } = STATUS[refusal];
    socket.write(
      `HTTP/1.1 ${code} ${text}\r\nContent-Type: ${contentType}\r\n` +
        `Content-Length: ${Buffer.byteLength(body)}\r\nRetry-After: 1\r\nConnection: close\r\n\r\n${body}`,
    );
    // Closes the descriptor once the answer has gone to the kernel.
    socket.destroySoon();
  };

  const onConnection = (socket: Socket): void => {
    const address = socket.remoteAddress ?? 'unknown';
    const refusal = caps.take(address);
    if (!refusal) {
      socket.once('close', () => caps.give(address));
      return;
    }
    if (limits.refusalSlots === 0 || graced.take(address)) {
      refuseNow(socket, refusal);
      return;
    }
    const timer = setTimeout(() => refuseNow(socket, refusal), limits.refusalGraceMs);
    timer.unref();
    refused.set(socket, { refusal, timer });
    socket.once('close', () => {
      graced.give(address);
      clearTimeout(timer);
    });
  };

  const guarded =
    (listener: RequestListener) =>
    (req: IncomingMessage, res: ServerResponse): void => {
      const held = refused.get(req.socket);
      if (held === undefined) return void listener(req, res);
      const { refusal, timer } = held;
      // Its request came in time: it gets its answer; it is the only one on this connection.
      clearTimeout(timer);
      res.shouldKeepAlive = false;
      if (isProbe(req)) return void listener(req, res);
      const { contentType, body } = refusalBody(refusal, limits);
      res.writeHead(STATUS[refusal].code, {
        'content-type': contentType,
        'content-length': Buffer.byteLength(body),
        'retry-after': '1',
        connection: 'close',
      });
      res.end(body);
    };

  // Node's createServer, called as `(options, listener)` or `(listener)`.
  const guardedServer = (
    first?: ServerOptions | RequestListener,
    second?: RequestListener,
  ): Server => {
    const serverOptions = typeof first === 'function' ? {} : (first ?? {});
    const listener = (typeof first === 'function' ? first : second) ?? (() => {});
    const server = createServer(
      {
        ...serverOptions,
        headersTimeout: limits.headersTimeoutMs,
        // Node refuses a request timeout shorter than the headers'.
        requestTimeout: Math.max(limits.requestTimeoutMs, limits.headersTimeoutMs),
        keepAliveTimeout: limits.keepAliveTimeoutMs,
        // Node looks for late requests every 30 s by default: a timeout of 10 s then means 40.
        connectionsCheckingInterval: Math.min(1_000, limits.headersTimeoutMs),
      },
      guarded(listener),
    );
    server.on('connection', onConnection);
    return server;
  };

  return {
    limits,
    createServer: guardedServer as typeof createServer,
    stats: () => ({ open: caps.open, refused: caps.refusals }),
  };
}
