/** Serves the app on a port behind the connection guard, with the cap fitted to the process's open-file limit. */
import type { Server } from 'node:http';
import { serve } from '@hono/node-server';
import type { Hono } from 'hono';
import { PROBLEM_TYPE, problemBody } from '../api/problem.js';
import {
  type ConnectionGuard,
  type ConnectionLimits,
  guardConnections,
} from '../http/connection-guard.js';
import { fitToDescriptors, openFileLimit } from '../http/descriptor-budget.js';

/** Options of {@link listenGuarded}. */
export interface ListenGuardedOptions {
  readonly fetch: Hono['fetch'];
  readonly port: number;
  readonly host: string;
  readonly limits?: ConnectionLimits;
  /** The open-file limit; default the process's (`/proc/self/limits`). */
  readonly fileLimit?: number;
  /** Told when the connection cap had to be lowered to fit the file limit. */
  readonly report?: (message: string) => void;
}

/**
 * Listens with {@link guardConnections}: header and request timeouts, caps per client and in
 * total, the total lowered to leave descriptors for scrapes, the source and the database.
 * Resolves once listening; rejects with the listen error (EADDRINUSE, …).
 *
 * @example
 * ```ts
 * const { server, guard } = await listenGuarded({ fetch: app.fetch, port: 8100, host: '127.0.0.1' });
 * ```
 */
export function listenGuarded(
  options: ListenGuardedOptions,
): Promise<{ server: Server; guard: ConnectionGuard }> {
  // A refusal is answered with the API's one error body, RFC 9457 problem details.
  const refusal = (status: number, detail: string) => ({
    contentType: PROBLEM_TYPE,
    body: JSON.stringify(problemBody({ status, detail })),
  });
  const requested = guardConnections({ ...options.limits, refusal }).limits;
  const budget = fitToDescriptors(
    requested.maxConnections,
    requested.refusalSlots,
    options.fileLimit ?? openFileLimit(),
  );
  if (budget.lowered) options.report?.(budget.lowered);
  const guard = guardConnections({
    ...options.limits,
    refusal,
    maxConnections: budget.maxConnections,
  });
  return new Promise((resolve, reject) => {
    const server = serve({
      fetch: options.fetch,
      port: options.port,
      hostname: options.host,
      createServer: guard.createServer,
    }) as Server;
    server.once('error', reject);
    server.once('listening', () => {
      server.off('error', reject);
      resolve({ server, guard });
    });
  });
}
