/** A real KPI server for the SDK tests: a policy written for the test, a gauge target, restartable on one port. */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { serve } from '@hono/node-server';
import { Hono } from 'hono';
import { type ServerHandle, startServer } from '../../src/server/compose/start-server.js';

/** The read token of {@link sdkPolicy}. */
export const READ_TOKEN = 'sdk-test-read-token-0123456789';

/** Two KPIs over the target's gauges, evaluated every second. */
export function sdkPolicy(targetUrl: string, read: 'public' | 'token' = 'public'): string {
  return `scrape: { interval: 1s, timeout: 500ms }
targets:
  - url: ${targetUrl}
    labels: { service: efile }
kpis:
  - id: depth
    title: Queue depth
    query: sum(queue_depth)
    unit: count
    thresholds: { warning: 10, critical: 20 }
  - id: error-share
    title: Error share
    query: sum(errors_total) / sum(requests_total)
    unit: ratio
    thresholds: { warning: 0.5, critical: 0.9 }
    objective: 0.8
auth:
  read: ${read}
  tokens:
    - { name: reader, token: ${READ_TOKEN}, scopes: [read] }
evaluation: { interval: 1s }
`;
}

/** A KPI server and its target, with the knobs a test turns. */
export interface SdkServer {
  /** The KPI server's base URL (stays the same across a restart). */
  readonly url: string;
  /** The running server; replaced by `restart`. */
  handle: ServerHandle;
  /** Sets the `queue_depth` gauge the target exposes. */
  setDepth(value: number): void;
  /** Stops the KPI server (streams end), keeping its data folder and port for `start`. */
  stop(): Promise<void>;
  /** Starts it again on the same port and data folder. */
  start(): Promise<void>;
  close(): Promise<void>;
}

/**
 * Starts a target exposing `queue_depth`, `requests_total` and `errors_total`, and a KPI server
 * scraping it, in a temporary folder.
 *
 * @example
 * ```ts
 * const s = await startSdkServer();
 * s.setDepth(15);
 * await s.close();
 * ```
 */
export async function startSdkServer(read: 'public' | 'token' = 'public'): Promise<SdkServer> {
  let depth = 1;
  const target = new Hono().get('/metrics', (c) =>
    c.text(
      `# TYPE queue_depth gauge\nqueue_depth ${depth}\n# TYPE requests_total counter\nrequests_total 200\n# TYPE errors_total counter\nerrors_total 20\n`,
    ),
  );
  const targetServer = await new Promise<Server>((resolve) => {
    const s = serve({ fetch: target.fetch, hostname: '127.0.0.1', port: 0 }, () =>
      resolve(s as Server),
    ) as Server;
  });
  const dir = mkdtempSync(join(tmpdir(), 'kpi-sdk-'));
  const configPath = join(dir, 'kpi-lights.yaml');
  const targetUrl = `http://127.0.0.1:${(targetServer.address() as AddressInfo).port}/metrics`;
  writeFileSync(configPath, sdkPolicy(targetUrl, read));
  const options = {
    configPath,
    port: 0,
    dataDir: join(dir, 'data'),
    processMetrics: false,
    report: () => {},
  };
  let handle = await startServer(options);
  const port = handle.port;
  let running = true;
  const server: SdkServer = {
    url: handle.url,
    handle,
    setDepth: (value) => {
      depth = value;
    },
    async stop() {
      running = false;
      await handle.close();
    },
    async start() {
      handle = await startServer({ ...options, port });
      server.handle = handle;
      running = true;
    },
    async close() {
      if (running) await server.stop();
      await new Promise((r) => targetServer.close(r));
      rmSync(dir, { recursive: true, force: true });
    },
  };
  return server;
}
