/** A Hono app served on 127.0.0.1 with a free port, for tests that need a real socket. */
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { serve } from '@hono/node-server';
import type { Hono } from 'hono';

/** A running app. */
export interface LocalServer {
  /** `http://127.0.0.1:port`, no trailing slash. */
  readonly url: string;
  readonly port: number;
  /** Closes, cutting open connections (hanging requests, streams). */
  close(): Promise<void>;
}

/**
 * Serves `app` until `close`.
 *
 * @example
 * ```ts
 * const s = await serveLocal(new Hono().get('/', (c) => c.text('hi')));
 * await s.close();
 * ```
 */
export async function serveLocal(app: Pick<Hono, 'fetch'>): Promise<LocalServer> {
  const server = await new Promise<Server>((resolve) => {
    const s = serve({ fetch: app.fetch, hostname: '127.0.0.1', port: 0 }, () =>
      resolve(s as Server),
    ) as Server;
  });
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    port,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
