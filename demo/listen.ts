/** Serves a Hono app on 127.0.0.1 and hands back its URL and a `close` that ends open connections too. */
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { serve } from '@hono/node-server';
import type { Hono } from 'hono';

/** A listening demo server. */
export interface Listening {
  /** `http://127.0.0.1:<port>`, no trailing slash. */
  readonly url: string;
  readonly port: number;
  close(): Promise<void>;
}

/**
 * Listens on 127.0.0.1 only: the demo's knobs have no auth, so nothing of it may be reachable
 * from the network. Port 0 picks a free port (tests); a taken port rejects with EADDRINUSE.
 */
export function listen(app: Hono, port: number): Promise<Listening> {
  return new Promise((resolve, reject) => {
    const server = serve({ fetch: app.fetch, hostname: '127.0.0.1', port }) as Server;
    server.once('error', reject);
    server.once('listening', () => {
      server.off('error', reject);
      const actual = (server.address() as AddressInfo).port;
      resolve({
        url: `http://127.0.0.1:${actual}`,
        port: actual,
        close: () =>
          new Promise<void>((done) => {
            // Long-lived connections (keep-alive, event streams) would hold `close` open forever.
            server.closeAllConnections();
            server.close(() => done());
          }),
      });
    });
  });
}
